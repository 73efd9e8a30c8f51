{#- Weights of the scorecard's 0-100 score: the groups of Decision 766/QĐ-TTg the feeds can measure, at their
    points (progress 20, digitisation 22, online services 22, satisfaction 18), each carried by the rate(s) the
    feed supports; the online group is split evenly between its two rates. The group "publicity and
    transparency" (18: procedures published on time, dossiers synced to the national portal) has no rate here:
    the catalogue carries no publication dates and every dossier of the feed is itself a sync call.
    A macro, not a seed: int_scorecard_766_counts_rated writes the score's SQL per rate column when it is
    compiled, and the report (kho06/report/figures.py) reads the weights from this file. -#}
{% macro public_services_766_weights() -%}
    {{ return({
        'on_time_rate': 20,
        'digitisation_rate': 22,
        'online_rate': 11,
        'online_payment_rate': 11,
        'positive_rating_rate': 18,
    }) }}
{%- endmacro %}
