{{ config(materialized='view') }}
-- The Decision 766 scorecard: the counts of int_scorecard_766_dossiers_counted with the rates computed from
-- them and the 0-100 score (docs/contracts/dossiers.md, "Dossier figures"); scorecard_766_province, _district
-- and _agency select their level.
{% set weights = public_services_766_weights() %}

with
    counted as (select * from {{ ref('int_scorecard_766_dossiers_counted') }}),

    rated as (
        select
            counted.*,
            cast(
                case
                    when dossiers_judged > 0 then 1.0 * dossiers_judged_on_time / dossiers_judged
                end as double
            ) as on_time_rate,
            cast(
                case
                    when dossiers_completed > 0 then 1.0 * completed_processing_days / dossiers_completed
                end as double
            ) as avg_processing_days,
            cast(
                case when dossiers_received > 0 then 1.0 * dossiers_online / dossiers_received end as double
            ) as online_rate,
            cast(
                case
                    when dossiers_received > 0 then 1.0 * dossiers_digitised / dossiers_received
                end as double
            ) as digitisation_rate,
            cast(
                case
                    when dossiers_with_fee > 0 then 1.0 * dossiers_paid_online / dossiers_with_fee
                end as double
            ) as online_payment_rate,
            cast(
                case when dossiers_rated > 0 then 1.0 * dossiers_rated_positive / dossiers_rated end as double
            ) as positive_rating_rate,
            cast(
                case
                    when dossiers_received > 0
                    then 1.0 * dossiers_national_portal_procedure / dossiers_received
                end as double
            ) as national_portal_procedure_rate
        from counted
    ),

    scored as (
        select
            rated.*,
            -- weighted mean of the available rates × 100: a rate without a denominator drops out with its
            -- weight
            cast(
                case
                    when
                        {% for rate in weights %}
                            {{ rate }} is not null{{ '\n                or ' if not loop.last }}
                        {% endfor %}
                    then
                        100.0 * (
                            {%- for rate, w in weights.items() %}
                                {{ '+ ' if not loop.first }}coalesce({{ rate }}, 0) * {{ w }}
                            {%- endfor %}
                        )
                        / (
                            {%- for rate, w in weights.items() %}
                                {{ '+ ' if not loop.first }} case
                                    when {{ rate }} is not null then {{ w }} else 0
                                end
                            {%- endfor %}
                        )
                end as double
            ) as score_766
        from rated
    )

select *
from scored
