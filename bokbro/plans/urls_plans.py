"""The agency's plan, the municipal plan register and the annual dialogues."""

from django.urls import URLPattern, path

from bokbro.plans import views

urlpatterns: list[URLPattern] = [
    # Public
    path("", views.public_index, name="index"),
    path("<int:pk>/", views.public_detail, name="detail"),
    path("<int:pk>/document/", views.plan_document, name="document"),
    # The agency's staff: plans and their trees
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.plan_create, name="plan_create"),
    path("staff/<int:pk>/", views.plan_detail, name="plan"),
    path("staff/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("staff/<int:pk>/delete/", views.plan_delete, name="plan_delete"),
    path("staff/<int:pk>/action-plan/", views.action_list, name="actions"),
    path("staff/<int:pk>/action-plan.csv", views.action_csv, name="actions_csv"),
    path("staff/<int:pk>/action-plan.xlsx", views.action_xlsx, name="actions_xlsx"),
    path("staff/<int:pk>/goal/<int:goal_pk>/", views.goal_detail, name="goal"),
    path(
        "staff/<int:pk>/indicators/<int:indicator_pk>/values/",
        views.indicator_value,
        name="indicator_value",
    ),
    path(
        "staff/<int:pk>/indicator-values/<int:value_pk>/delete/",
        views.indicator_value_delete,
        name="indicator_value_delete",
    ),
    path("staff/<int:pk>/<slug:part>/new/", views.part_create, name="part_create"),
    path("staff/<int:pk>/<slug:part>/<int:item_pk>/", views.part_edit, name="part_edit"),
    path(
        "staff/<int:pk>/<slug:part>/<int:item_pk>/delete/",
        views.part_delete,
        name="part_delete",
    ),
    # The municipal library plan register
    path("municipal/", views.register, name="register"),
    path("municipal/library-plans.csv", views.register_csv, name="register_csv"),
    path("municipal/library-plans.xlsx", views.register_xlsx, name="register_xlsx"),
    path("municipal/new/", views.municipal_plan_create, name="municipal_create"),
    path("municipal/<int:pk>/", views.municipal_plan_edit, name="municipal_edit"),
    path("municipal/<int:pk>/delete/", views.municipal_plan_delete, name="municipal_delete"),
    path("municipal/<int:pk>/document/", views.municipal_plan_document, name="municipal_document"),
    # Annual dialogues
    path("dialogues/", views.dialogue_list, name="dialogues"),
    path("dialogues/new/", views.dialogue_create, name="dialogue_create"),
    path("dialogues/<int:pk>/", views.dialogue_detail, name="dialogue"),
    path("dialogues/<int:pk>/edit/", views.dialogue_edit, name="dialogue_edit"),
    path("dialogues/<int:pk>/delete/", views.dialogue_delete, name="dialogue_delete"),
    path("dialogues/templates/", views.dialogue_templates, name="dialogue_templates"),
    path(
        "dialogues/templates/<int:pk>/",
        views.dialogue_template_edit,
        name="dialogue_template_edit",
    ),
    path(
        "dialogues/templates/<int:pk>/delete/",
        views.dialogue_template_delete,
        name="dialogue_template_delete",
    ),
]
