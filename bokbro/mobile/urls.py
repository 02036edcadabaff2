from django.urls import path

from bokbro.mobile.views import following, public, staff, terms

app_name = "mobile"

urlpatterns = [
    # The public timetable
    path("", public.index, name="index"),
    path("municipalities/<int:pk>/", public.municipality, name="municipality"),
    path("municipalities/<int:pk>/timetable.pdf", public.municipality_pdf, name="municipality_pdf"),
    path("stops/<int:pk>/", public.stop, name="stop"),
    path("stops/<int:pk>/calendar.ics", public.stop_ics, name="stop_ics"),
    path("routes/<int:pk>/", public.route, name="route"),
    path("routes/<int:pk>/calendar.ics", public.route_ics, name="route_ics"),
    path("routes/<int:pk>/timetable.pdf", public.route_pdf, name="route_pdf"),
    path("vehicles/<int:pk>/", public.vehicle, name="vehicle"),
    path("vehicles/<int:pk>/calendar.ics", public.vehicle_ics, name="vehicle_ics"),
    # Following a stop by e-mail
    path("stops/<int:pk>/follow/", following.follow, name="follow"),
    path("stops/<int:pk>/follow/sent/", following.follow_sent, name="follow_sent"),
    path("stops/<int:pk>/follow/stopped/", following.unfollowed, name="unfollowed"),
    path("follow/<slug:token>/", following.follow_confirm, name="follow_confirm"),
    path("follow/<slug:token>/stop/", following.unfollow, name="unfollow"),
    # The agency's staff
    path("staff/", staff.overview, name="staff"),
    path("staff/vehicles/new/", staff.vehicle_create, name="vehicle_create"),
    path("staff/vehicles/<int:pk>/", staff.vehicle_edit, name="vehicle_edit"),
    path("staff/routes/new/", staff.route_create, name="route_create"),
    path("staff/routes/<int:pk>/", staff.route_edit, name="route_edit"),
    path("staff/routes/<int:pk>/visits/new/", staff.visit_create, name="visit_create"),
    path("staff/routes/<int:pk>/extra/new/", staff.extra_create, name="extra_create"),
    path("staff/extra/<int:pk>/delete/", staff.extra_delete, name="extra_delete"),
    path("staff/stops/new/", staff.stop_create, name="stop_create"),
    path("staff/stops/<int:pk>/", staff.stop_edit, name="stop_edit"),
    path("staff/visits/<int:pk>/", staff.visit_edit, name="visit_edit"),
    path("staff/visits/<int:pk>/delete/", staff.visit_delete, name="visit_delete"),
    path("staff/visits/<int:pk>/cancel/", staff.visit_cancel, name="visit_cancel"),
    path("staff/visits/<int:pk>/counts/", staff.visit_count, name="visit_count"),
    path("staff/terms/", terms.terms, name="terms"),
    path("staff/terms/<int:pk>/", terms.term_edit, name="term_edit"),
    path("staff/terms/<int:pk>/copy/", terms.term_copy, name="term_copy"),
    path("staff/holidays/", staff.holidays, name="holidays"),
    path("staff/holidays/stop-types/", staff.pause_kinds, name="pause_kinds"),
    path("staff/holidays/<int:pk>/delete/", staff.holiday_delete, name="holiday_delete"),
    path("staff/import/", staff.import_file, name="import"),
    path("staff/mobile-library.csv", staff.export_csv, name="export"),
]
