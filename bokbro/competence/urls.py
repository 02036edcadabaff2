from django.urls import path

from bokbro.competence.views import answer, builder, framework, results

app_name = "competence"

urlpatterns = [
    # Respondents
    path("answer/<str:token>/", answer.answer, name="answer"),
    path("open/<str:token>/", answer.open_answer, name="open"),
    path("draft/<str:token>/", answer.draft_answer, name="draft"),
    path("surveys/<int:pk>/thanks/", answer.thanks, name="thanks"),
    # The agency's staff: surveys
    path("staff/", builder.overview, name="staff"),
    path("staff/surveys/new/", builder.survey_create, name="survey_create"),
    path("staff/surveys/<int:pk>/", builder.survey_detail, name="survey"),
    path("staff/surveys/<int:pk>/edit/", builder.survey_edit, name="survey_edit"),
    path("staff/surveys/<int:pk>/sections/new/", builder.section_create, name="section_create"),
    path("staff/surveys/<int:pk>/questions/new/", builder.question_create, name="question_create"),
    path("staff/questions/<int:pk>/", builder.question_edit, name="question_edit"),
    path("staff/questions/<int:pk>/delete/", builder.question_delete, name="question_delete"),
    path("staff/surveys/<int:pk>/open/", builder.survey_open, name="survey_open"),
    path("staff/surveys/<int:pk>/close/", builder.survey_close, name="survey_close"),
    path("staff/surveys/<int:pk>/copy/", builder.survey_copy, name="survey_copy"),
    path("staff/surveys/<int:pk>/invite/", builder.invite, name="invite"),
    path("staff/surveys/<int:pk>/send/", builder.send_links, name="send_links"),
    # Results
    path("staff/surveys/<int:pk>/results/", results.results, name="results"),
    path("staff/surveys/<int:pk>/results/<str:dimension>/", results.breakdown, name="breakdown"),
    path("staff/surveys/<int:pk>/answers.csv", results.export_csv, name="export_csv"),
    path("staff/surveys/<int:pk>/answers.xlsx", results.export_xlsx, name="export_xlsx"),
    path("staff/evaluations/", results.evaluation_sums, name="evaluation_sums"),
    # Framework, plans, evaluations
    path("staff/areas/new/", framework.area_create, name="area_create"),
    path("staff/areas/<int:pk>/", framework.area_edit, name="area_edit"),
    path("staff/plans/new/", framework.plan_create, name="plan_create"),
    path("staff/plans/<int:pk>/", framework.plan_detail, name="plan"),
    path("staff/plans/<int:pk>/areas/", framework.plan_area_add, name="plan_area_add"),
    path("staff/plan-areas/<int:pk>/", framework.plan_area_edit, name="plan_area_edit"),
    path("staff/events/<int:pk>/evaluation/", framework.event_evaluation, name="event_evaluation"),
]
