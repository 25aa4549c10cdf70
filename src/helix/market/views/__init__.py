"""The needs-and-offers pages, one module per part of the app: listings (browse, publish, edit, the
lifecycle's buttons), matches (a listing's counterparts, feedback, complementary organisations),
meetings (meeting requests) and staff (who should meet whom). ``helix.market.urls`` routes to each."""
