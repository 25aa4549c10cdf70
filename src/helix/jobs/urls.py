from django.urls import path

from helix.jobs import views

app_name = "jobs"

urlpatterns = [
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/retry/", views.job_retry, name="retry"),
]
