from django.urls import path

from bokbro.advisory.views import consultations, follow_ups, topics, tours

app_name = "advisory"

urlpatterns = [
    path("", consultations.consultation_list, name="list"),
    path("export.csv", consultations.export_csv, name="export_csv"),
    path("export.xlsx", consultations.export_xlsx, name="export_xlsx"),
    path("new/", consultations.consultation_create, name="create"),
    path("<int:pk>/", consultations.consultation_detail, name="consultation"),
    path("<int:pk>/edit/", consultations.consultation_edit, name="edit"),
    path("<int:pk>/delete/", consultations.consultation_delete, name="delete"),
    path("<int:pk>/follow-ups/", follow_ups.follow_up_add, name="follow_up_add"),
    path("follow-ups/", follow_ups.my_follow_ups, name="my_follow_ups"),
    path("follow-ups/<int:pk>/edit/", follow_ups.follow_up_edit, name="follow_up_edit"),
    path("follow-ups/<int:pk>/done/", follow_ups.follow_up_done, name="follow_up_done"),
    path("topics/", topics.topic_list, name="topics"),
    path("topics/<int:pk>/", topics.topic_edit, name="topic_edit"),
    path("tours/", tours.tour_list, name="tours"),
    path("tours/new/", tours.tour_create, name="tour_create"),
    path("tours/<int:pk>/", tours.tour_detail, name="tour"),
    path("tours/<int:pk>/edit/", tours.tour_edit, name="tour_edit"),
    path("tours/<int:pk>/tour.ics", tours.tour_ics, name="tour_ics"),
    path("tours/<int:pk>/visits/", tours.visit_add, name="visit_add"),
    path("tours/<int:pk>/visits/<int:visit_pk>/done/", tours.visit_done, name="visit_done"),
    path("tours/<int:pk>/visits/<int:visit_pk>/remove/", tours.visit_remove, name="visit_remove"),
]
