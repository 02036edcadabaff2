"""The agency's plan, the municipal plan register and the annual dialogues. (The follow-up and
the annual report, also under /plans/, are the reports app's.)"""

from django.urls import URLPattern, path

from bokbro.plans.views import actions, dialogues, indicators, municipal, parts, plans, public

app_name = "plans"
urlpatterns: list[URLPattern] = [
    # Public
    path("", public.public_index, name="index"),
    path("<int:pk>/", public.public_detail, name="detail"),
    path("<int:pk>/document/", public.plan_document, name="document"),
    # The agency's staff: plans and their trees
    path("staff/", plans.staff_list, name="staff_list"),
    path("staff/new/", plans.plan_create, name="plan_create"),
    path("staff/<int:pk>/", plans.plan_detail, name="plan"),
    path("staff/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("staff/<int:pk>/delete/", plans.plan_delete, name="plan_delete"),
    path("staff/<int:pk>/action-plan/", actions.action_list, name="actions"),
    path("staff/<int:pk>/action-plan.csv", actions.action_csv, name="actions_csv"),
    path("staff/<int:pk>/action-plan.xlsx", actions.action_xlsx, name="actions_xlsx"),
    path("staff/<int:pk>/goal/<int:goal_pk>/", indicators.goal_detail, name="goal"),
    path(
        "staff/<int:pk>/indicators/<int:indicator_pk>/values/",
        indicators.indicator_value,
        name="indicator_value",
    ),
    path(
        "staff/<int:pk>/indicator-values/<int:value_pk>/delete/",
        indicators.indicator_value_delete,
        name="indicator_value_delete",
    ),
    path("staff/<int:pk>/<slug:part>/new/", parts.part_create, name="part_create"),
    path("staff/<int:pk>/<slug:part>/<int:item_pk>/", parts.part_edit, name="part_edit"),
    path(
        "staff/<int:pk>/<slug:part>/<int:item_pk>/delete/",
        parts.part_delete,
        name="part_delete",
    ),
    # The municipal library plan register
    path("municipal/", municipal.register, name="register"),
    path("municipal/library-plans.csv", municipal.register_csv, name="register_csv"),
    path("municipal/library-plans.xlsx", municipal.register_xlsx, name="register_xlsx"),
    path("municipal/new/", municipal.municipal_plan_create, name="municipal_create"),
    path("municipal/<int:pk>/", municipal.municipal_plan_edit, name="municipal_edit"),
    path("municipal/<int:pk>/delete/", municipal.municipal_plan_delete, name="municipal_delete"),
    path(
        "municipal/<int:pk>/document/", municipal.municipal_plan_document, name="municipal_document"
    ),
    # Annual dialogues
    path("dialogues/", dialogues.dialogue_list, name="dialogues"),
    path("dialogues/new/", dialogues.dialogue_create, name="dialogue_create"),
    path("dialogues/<int:pk>/", dialogues.dialogue_detail, name="dialogue"),
    path("dialogues/<int:pk>/edit/", dialogues.dialogue_edit, name="dialogue_edit"),
    path("dialogues/<int:pk>/delete/", dialogues.dialogue_delete, name="dialogue_delete"),
    path("dialogues/templates/", dialogues.dialogue_templates, name="dialogue_templates"),
    path(
        "dialogues/templates/<int:pk>/",
        dialogues.dialogue_template_edit,
        name="dialogue_template_edit",
    ),
    path(
        "dialogues/templates/<int:pk>/delete/",
        dialogues.dialogue_template_delete,
        name="dialogue_template_delete",
    ),
]
