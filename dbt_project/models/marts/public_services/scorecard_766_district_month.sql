-- One row per district × month of reception: the 12 legacy district rows of dim_admin_unit valid in the month,
-- plus -1 (dossiers of provincial departments or of an unknown agency), for every month with dossiers. The
-- Decision 766 rates with the counts behind each (sum the counts to re-aggregate; never average the rates), and
-- a 0-100 score weighted by the 766 groups (macros/public_services/public_services_code_lists.sql).
{% set weights = public_services_766_weights() %}

with dossiers as (
    select * from {{ ref('fct_dossiers') }}
),

admin_units as (
    select * from {{ ref('dim_admin_unit') }}
),

monthly as (
    select
        admin_unit_key,
        cast({{ dbt.date_trunc('month', 'received_date') }} as date) as month_start,
        count(*) as dossiers_received,
        sum(case when is_completed then 1 else 0 end) as dossiers_completed,
        sum(case when on_time_class = 'early' then 1 else 0 end) as dossiers_early,
        sum(case when on_time_class = 'on_time' then 1 else 0 end) as dossiers_on_time,
        sum(case when on_time_class = 'late' then 1 else 0 end) as dossiers_late,
        sum(case when is_completed then processing_days else 0 end) as completed_processing_days,
        sum(case when is_online then 1 else 0 end) as dossiers_online,
        sum(case when is_digitised then 1 else 0 end) as dossiers_digitised,
        sum(case when has_fee then 1 else 0 end) as dossiers_with_fee,
        sum(case when has_fee and paid_online then 1 else 0 end) as dossiers_paid_online,
        sum(case when is_rated then 1 else 0 end) as dossiers_rated,
        sum(case when is_positive_rating then 1 else 0 end) as dossiers_rated_positive,
        sum(case when is_synced_to_portal then 1 else 0 end) as dossiers_synced_to_portal
    from dossiers
    where received_date is not null
    group by admin_unit_key, cast({{ dbt.date_trunc('month', 'received_date') }} as date)
),

months as (
    select distinct month_start from monthly
),

districts as (
    select admin_unit_key, unit_code, unit_name, valid_from, valid_to
    from admin_units
    where unit_level = 'district' or admin_unit_key = -1
),

grid as (
    select
        districts.admin_unit_key,
        case when districts.admin_unit_key <> -1 then districts.unit_code end as district_code,
        case
            when districts.admin_unit_key <> -1 then districts.unit_name
            else 'Cấp tỉnh hoặc không xác định'
        end as district_name,
        months.month_start
    from districts
    cross join months
    where districts.admin_unit_key = -1
        or (months.month_start >= districts.valid_from and months.month_start < districts.valid_to)
),

counted as (
    select
        grid.admin_unit_key,
        grid.district_code,
        grid.district_name,
        grid.month_start,
        coalesce(m.dossiers_received, 0) as dossiers_received,
        coalesce(m.dossiers_completed, 0) as dossiers_completed,
        coalesce(m.dossiers_early, 0) as dossiers_early,
        coalesce(m.dossiers_on_time, 0) as dossiers_on_time,
        coalesce(m.dossiers_late, 0) as dossiers_late,
        coalesce(m.completed_processing_days, 0) as completed_processing_days,
        coalesce(m.dossiers_online, 0) as dossiers_online,
        coalesce(m.dossiers_digitised, 0) as dossiers_digitised,
        coalesce(m.dossiers_with_fee, 0) as dossiers_with_fee,
        coalesce(m.dossiers_paid_online, 0) as dossiers_paid_online,
        coalesce(m.dossiers_rated, 0) as dossiers_rated,
        coalesce(m.dossiers_rated_positive, 0) as dossiers_rated_positive,
        coalesce(m.dossiers_synced_to_portal, 0) as dossiers_synced_to_portal
    from grid
    left join monthly as m
        on m.admin_unit_key = grid.admin_unit_key
        and m.month_start = grid.month_start
),

rated as (
    select
        counted.*,
        case when dossiers_completed > 0
            then 1.0 * (dossiers_early + dossiers_on_time) / dossiers_completed end as on_time_rate,
        case when dossiers_completed > 0
            then 1.0 * completed_processing_days / dossiers_completed end as avg_processing_days,
        case when dossiers_received > 0 then 1.0 * dossiers_online / dossiers_received end as online_rate,
        case when dossiers_received > 0 then 1.0 * dossiers_digitised / dossiers_received end as digitisation_rate,
        case when dossiers_with_fee > 0
            then 1.0 * dossiers_paid_online / dossiers_with_fee end as online_payment_rate,
        case when dossiers_rated > 0
            then 1.0 * dossiers_rated_positive / dossiers_rated end as satisfaction_rate,
        case when dossiers_received > 0
            then 1.0 * dossiers_synced_to_portal / dossiers_received end as portal_sync_rate
    from counted
),

scored as (
    select
        rated.*,
        -- weighted mean of the available rates × 100: a rate without a denominator drops out with its weight
        case
            when {% for rate in weights %}{{ rate }} is not null{{ '\n                or ' if not loop.last }}{% endfor %}
            then 100.0 * (
                {%- for rate, w in weights.items() %}
                {{ '+ ' if not loop.first }}coalesce({{ rate }}, 0) * {{ w }}
                {%- endfor %}
            ) / (
                {%- for rate, w in weights.items() %}
                {{ '+ ' if not loop.first }}case when {{ rate }} is not null then {{ w }} else 0 end
                {%- endfor %}
            )
        end as score_766
    from rated
)

select
    cast(admin_unit_key as integer) as admin_unit_key,
    cast(district_code as {{ dbt.type_string() }}) as district_code,
    cast(district_name as {{ dbt.type_string() }}) as district_name,
    cast(month_start as date) as month_start,
    cast(extract(year from month_start) * 10000 + extract(month from month_start) * 100 + 1 as integer)
        as month_date_key,
    cast(dossiers_received as bigint) as dossiers_received,
    cast(dossiers_completed as bigint) as dossiers_completed,
    cast(dossiers_early as bigint) as dossiers_early,
    cast(dossiers_on_time as bigint) as dossiers_on_time,
    cast(dossiers_late as bigint) as dossiers_late,
    cast(completed_processing_days as bigint) as completed_processing_days,
    cast(dossiers_online as bigint) as dossiers_online,
    cast(dossiers_digitised as bigint) as dossiers_digitised,
    cast(dossiers_with_fee as bigint) as dossiers_with_fee,
    cast(dossiers_paid_online as bigint) as dossiers_paid_online,
    cast(dossiers_rated as bigint) as dossiers_rated,
    cast(dossiers_rated_positive as bigint) as dossiers_rated_positive,
    cast(dossiers_synced_to_portal as bigint) as dossiers_synced_to_portal,
    cast(on_time_rate as double) as on_time_rate,
    cast(avg_processing_days as double) as avg_processing_days,
    cast(online_rate as double) as online_rate,
    cast(digitisation_rate as double) as digitisation_rate,
    cast(online_payment_rate as double) as online_payment_rate,
    cast(satisfaction_rate as double) as satisfaction_rate,
    cast(portal_sync_rate as double) as portal_sync_rate,
    cast(score_766 as double) as score_766
from scored
