"""factory_boy factories with boring defaults, one module per app family; import them from here.

Every concrete model of the helix apps has a factory (tests/test_factories.py checks it). Multi-object
set-ups (a whole event, a region of flows) are fixtures and builders beside the tests that use them.
"""

from tests.factories.events import (
    EventFactory,
    EventMeetingRequestFactory,
    EventSignupFactory,
    MeetingRatingFactory,
    RegistrationFactory,
    RoomFactory,
    ScheduledMeetingFactory,
    ScheduleFactory,
    SessionFactory,
    TimeSlotFactory,
)
from tests.factories.market import (
    FeedbackFactory,
    IndexStateFactory,
    ListingFactory,
    ListingVectorFactory,
    MeetingRequestFactory,
    RankerWeightsFactory,
    make_listing,
)
from tests.factories.people import (
    ConsentRecordFactory,
    ErasureRecordFactory,
    InvitationFactory,
    NotificationFactory,
    NotificationSettingsFactory,
    OutgoingMailFactory,
    SentNoticeFactory,
    SignupRequestFactory,
)
from tests.factories.platform import ApiTokenFactory, AuditScopeFactory, JobFactory, LogEntryFactory
from tests.factories.projects import (
    BudgetLineFactory,
    FundingSourceFactory,
    InstrumentFactory,
    LedgerEntryFactory,
    MilestoneFactory,
    ProjectChangeFactory,
    ProjectFactory,
    ProjectMemberFactory,
    ProjectReportFactory,
)
from tests.factories.registry import (
    AdvisoryGroupFactory,
    AdvisorySeatFactory,
    ClusterFactory,
    ClusterNameFactory,
    DomainFactory,
    InteractionFactory,
    KeywordFactory,
    LetterOfIntentFactory,
    MembershipChangeFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SectorFactory,
    SiteFactory,
    StaffAssignmentFactory,
    UserFactory,
    member_user,
    staff_user,
)
from tests.factories.symbiosis import (
    AllocationRunFactory,
    DocumentedExchangeFactory,
    ImpactFactorSettingFactory,
    MarketReadingFactory,
    ResourceFlowFactory,
    SynergyEventFactory,
    SynergyFactory,
    SynergyReportFactory,
)

__all__ = [
    "AdvisoryGroupFactory", "AdvisorySeatFactory", "AllocationRunFactory", "ApiTokenFactory",
    "AuditScopeFactory", "ClusterFactory", "ClusterNameFactory", "ConsentRecordFactory",
    "DocumentedExchangeFactory", "DomainFactory", "ErasureRecordFactory", "EventFactory",
    "EventMeetingRequestFactory", "EventSignupFactory", "FeedbackFactory", "ImpactFactorSettingFactory",
    "IndexStateFactory", "InteractionFactory", "InvitationFactory", "JobFactory", "KeywordFactory",
    "LetterOfIntentFactory", "ListingFactory", "ListingVectorFactory", "LogEntryFactory",
    "MarketReadingFactory", "MeetingRatingFactory", "MeetingRequestFactory", "MembershipChangeFactory",
    "MembershipFactory", "NotificationFactory", "NotificationSettingsFactory", "OrganisationFactory",
    "OutgoingMailFactory", "PersonFactory", "RankerWeightsFactory", "RegistrationFactory",
    "ResourceFlowFactory", "RoomFactory", "ScheduleFactory", "ScheduledMeetingFactory", "SectorFactory",
    "SentNoticeFactory", "SessionFactory", "SignupRequestFactory", "SiteFactory", "StaffAssignmentFactory",
    "SynergyEventFactory", "SynergyFactory", "SynergyReportFactory", "TimeSlotFactory", "UserFactory",
    "make_listing", "member_user", "staff_user",
    "BudgetLineFactory", "FundingSourceFactory", "InstrumentFactory", "LedgerEntryFactory",
    "MilestoneFactory", "ProjectChangeFactory", "ProjectFactory", "ProjectMemberFactory",
    "ProjectReportFactory",
]  # fmt: skip
