from django.urls import path

from helix.calls.review_urls import review_urlpatterns
from helix.calls.views import applications, calls, consortium, files, staff

app_name = "calls"

urlpatterns = [
    # applicants: the calls, a call's page, applying, one's applications
    path("calls/", calls.call_list, name="list"),
    path("calls/new/", staff.create_call, name="create"),
    path("calls/<int:pk>/", calls.call_detail, name="detail"),
    path("calls/<int:pk>/apply/", calls.apply, name="apply"),
    path("calls/applications/", calls.my_applications, name="mine"),
    path("calls/applications/<int:pk>/", applications.application_page, name="application"),
    path("calls/applications/<int:pk>/save/", applications.save, name="save"),
    path("calls/applications/<int:pk>/eligibility/", applications.eligibility, name="eligibility"),
    path("calls/applications/<int:pk>/submit/", applications.submit, name="submit"),
    path("calls/applications/<int:pk>/move/", applications.move, name="application_move"),
    path("calls/receipts/<int:pk>/", applications.receipt, name="receipt"),
    # the consortium
    path("calls/applications/<int:pk>/partners/", consortium.search, name="partner_search"),
    path("calls/applications/<int:pk>/partners/add/", consortium.add, name="partner_add"),
    path(
        "calls/applications/<int:pk>/partners/<int:organisation>/remove/",
        consortium.remove,
        name="partner_remove",
    ),
    # files: applicants and staff; reviewers through their assignment
    path("calls/attachments/<int:pk>/", files.attachment, name="attachment"),
    path(
        "calls/assignments/<int:pk>/attachments/<int:attachment>/",
        files.assignment_attachment,
        name="assignment_attachment",
    ),
    # the staff who run the call
    path("calls/<int:pk>/manage/", staff.manage, name="manage"),
    path("calls/<int:pk>/move/", staff.call_move, name="call_move"),
    path("calls/applications/<int:pk>/judge/", staff.judge, name="judge"),
]

# the review's and the decision's pages (helix.calls.review_urls)
urlpatterns += review_urlpatterns
