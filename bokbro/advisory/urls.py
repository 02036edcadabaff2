from django.urls import path

from bokbro.advisory import views

app_name = "advisory"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("new/", views.consultation_create, name="create"),
    path("<int:pk>/", views.consultation_detail, name="consultation"),
    path("<int:pk>/edit/", views.consultation_edit, name="edit"),
    path("<int:pk>/delete/", views.consultation_delete, name="delete"),
    path("<int:pk>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path("follow-ups/", views.my_follow_ups, name="my_follow_ups"),
    path("follow-ups/<int:pk>/edit/", views.follow_up_edit, name="follow_up_edit"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("topics/", views.topic_list, name="topics"),
    path("topics/<int:pk>/", views.topic_edit, name="topic_edit"),
    path("tours/", views.tour_list, name="tours"),
    path("tours/new/", views.tour_create, name="tour_create"),
    path("tours/<int:pk>/", views.tour_detail, name="tour"),
    path("tours/<int:pk>/edit/", views.tour_edit, name="tour_edit"),
    path("tours/<int:pk>/tour.ics", views.tour_ics, name="tour_ics"),
    path("tours/<int:pk>/visits/", views.visit_add, name="visit_add"),
    path("tours/<int:pk>/visits/<int:visit_pk>/done/", views.visit_done, name="visit_done"),
    path("tours/<int:pk>/visits/<int:visit_pk>/remove/", views.visit_remove, name="visit_remove"),
]
