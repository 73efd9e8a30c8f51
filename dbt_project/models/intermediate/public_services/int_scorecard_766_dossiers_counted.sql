-- The counts of the Decision 766 scorecard at every level and period: one row per period (month, quarter and
-- year of reception) × reporting unit of three levels — the province (every dossier), the districts (with the
-- provincial departments, the dossiers of an unknown agency and, from 2025-07-01, the dossiers of an agency
-- without a district, each a row of its own, so that the rows of a period sum to the province) and the
-- handling agencies. Units without dossiers in a period get zero counts. int_scorecard_766_counts_rated adds
-- the rates.
{% set counts = [
    'dossiers_received', 'dossiers_not_accepted', 'dossiers_not_judged', 'dossiers_judged',
    'dossiers_judged_on_time', 'dossiers_early', 'dossiers_on_time', 'dossiers_late', 'dossiers_open_within_due',
    'dossiers_open_overdue', 'dossiers_completed', 'completed_processing_days', 'dossiers_online',
    'dossiers_digitised', 'dossiers_with_fee', 'dossiers_paid_online', 'dossiers_rated', 'dossiers_rated_positive',
    'dossiers_national_portal_procedure',
] %}

with
    dossiers as (select * from {{ ref('fct_dossiers') }}),

    agencies as (select * from {{ ref('dim_agency') }}),

    admin_units as (select * from {{ ref('dim_admin_unit') }}),

    -- one row per dossier: its units and its contribution to each count
    flags as (
        select
            d.agency_key,
            d.admin_unit_key,
            case
                when d.admin_unit_key <> -1
                then 'district'
                when d.agency_key = -1
                then 'unknown_agency'
                when a.agency_level = 'province'
                then 'provincial_departments'
                else 'no_district'
            end as unit_kind,
            cast({{ dbt.date_trunc('month', 'd.received_date') }} as date) as month_start,
            1 as dossiers_received,
            case when d.on_time_class = 'not_accepted' then 1 else 0 end as dossiers_not_accepted,
            case when d.on_time_class = 'not_judged' then 1 else 0 end as dossiers_not_judged,
            case when d.is_on_time is not null then 1 else 0 end as dossiers_judged,
            case when d.is_on_time then 1 else 0 end as dossiers_judged_on_time,
            case when d.on_time_class = 'early' then 1 else 0 end as dossiers_early,
            case when d.on_time_class = 'on_time' then 1 else 0 end as dossiers_on_time,
            case when d.on_time_class = 'late' then 1 else 0 end as dossiers_late,
            case when d.on_time_class = 'open_within_due' then 1 else 0 end as dossiers_open_within_due,
            case when d.on_time_class = 'open_overdue' then 1 else 0 end as dossiers_open_overdue,
            case when d.is_completed then 1 else 0 end as dossiers_completed,
            case
                when d.is_completed then coalesce(d.processing_days, 0) else 0
            end as completed_processing_days,
            case when d.is_online then 1 else 0 end as dossiers_online,
            case when d.is_digitised then 1 else 0 end as dossiers_digitised,
            case when d.has_fee then 1 else 0 end as dossiers_with_fee,
            case when d.has_fee and d.paid_online then 1 else 0 end as dossiers_paid_online,
            case when d.is_rated then 1 else 0 end as dossiers_rated,
            case when d.is_positive_rating then 1 else 0 end as dossiers_rated_positive,
            case when d.is_national_portal_procedure then 1 else 0 end as dossiers_national_portal_procedure
        from dossiers as d
        left join agencies as a on a.agency_key = d.agency_key
        where d.received_date is not null
    ),

    monthly as (
        select
            agency_key,
            admin_unit_key,
            unit_kind,
            month_start,
            {%- for c in counts %} sum({{ c }}) as {{ c }}{{ ',' if not loop.last }} {%- endfor %}
        from flags
        group by agency_key, admin_unit_key, unit_kind, month_start
    ),

    period_types as (
        select 'month' as period_type
        union all
        select 'quarter'
        union all
        select 'year'
    ),

    -- every month's counts under its month, its quarter and its year
    by_period as (
        select
            monthly.*,
            period_types.period_type,
            case
                period_types.period_type
                when 'month'
                then monthly.month_start
                when 'quarter'
                then cast({{ dbt.date_trunc('quarter', 'monthly.month_start') }} as date)
                else cast({{ dbt.date_trunc('year', 'monthly.month_start') }} as date)
            end as period_start
        from monthly
        cross join period_types
    ),

    periods as (select distinct period_type, period_start from by_period),

    -- the units of each level and period: the grid every count is reported on
    province_units as (
        select
            'province' as unit_level,
            'province' as unit_kind,
            periods.period_type,
            periods.period_start,
            -1 as admin_unit_key,
            -1 as agency_key
        from periods
    ),

    district_units as (
        select
            'district' as unit_level,
            'district' as unit_kind,
            periods.period_type,
            periods.period_start,
            u.admin_unit_key,
            -1 as agency_key
        from periods
        inner join
            admin_units as u
            on u.unit_level = 'district'
            and periods.period_start >= u.valid_from
            and periods.period_start < u.valid_to
        union all
        select 'district', kinds.unit_kind, periods.period_type, periods.period_start, -1, -1
        from periods
        cross join
            (
                select 'provincial_departments' as unit_kind
                union all
                select 'unknown_agency'
            ) as kinds
        union all
        select distinct 'district', 'no_district', period_type, period_start, -1, -1
        from by_period
        where unit_kind = 'no_district'
    ),

    agency_units as (
        select
            'agency' as unit_level,
            'agency' as unit_kind,
            periods.period_type,
            periods.period_start,
            -1 as admin_unit_key,
            agencies.agency_key
        from periods
        cross join agencies
    ),

    province_counts as (
        select
            period_type,
            period_start,
            {%- for c in counts %} sum({{ c }}) as {{ c }}{{ ',' if not loop.last }} {%- endfor %}
        from by_period
        group by period_type, period_start
    ),

    district_counts as (
        select
            period_type,
            period_start,
            unit_kind,
            admin_unit_key,
            {%- for c in counts %} sum({{ c }}) as {{ c }}{{ ',' if not loop.last }} {%- endfor %}
        from by_period
        group by period_type, period_start, unit_kind, admin_unit_key
    ),

    agency_counts as (
        select
            period_type,
            period_start,
            agency_key,
            {%- for c in counts %} sum({{ c }}) as {{ c }}{{ ',' if not loop.last }} {%- endfor %}
        from by_period
        group by period_type, period_start, agency_key
    ),

    counted as (
        select
            g.unit_level,
            g.unit_kind,
            g.period_type,
            g.period_start,
            g.admin_unit_key,
            g.agency_key,
            {%- for c in counts %} coalesce(c.{{ c }}, 0) as {{ c }}{{ ',' if not loop.last }} {%- endfor %}
        from province_units as g
        left join province_counts as c on c.period_type = g.period_type and c.period_start = g.period_start
        union all
        select
            g.unit_level,
            g.unit_kind,
            g.period_type,
            g.period_start,
            g.admin_unit_key,
            g.agency_key,
            {%- for c in counts %} coalesce(c.{{ c }}, 0){{ ',' if not loop.last }} {%- endfor %}
        from district_units as g
        left join
            district_counts as c
            on c.period_type = g.period_type
            and c.period_start = g.period_start
            and c.unit_kind = g.unit_kind
            and c.admin_unit_key = g.admin_unit_key
        union all
        select
            g.unit_level,
            g.unit_kind,
            g.period_type,
            g.period_start,
            g.admin_unit_key,
            g.agency_key,
            {%- for c in counts %} coalesce(c.{{ c }}, 0){{ ',' if not loop.last }} {%- endfor %}
        from agency_units as g
        left join
            agency_counts as c
            on c.period_type = g.period_type
            and c.period_start = g.period_start
            and c.agency_key = g.agency_key
    ),

    labelled as (
        select
            counted.*,
            case
                period_type
                when 'month'
                then {{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'period_start')) }}
                when 'quarter'
                then {{ dbt.dateadd('day', -1, dbt.dateadd('month', 3, 'period_start')) }}
                else {{ dbt.dateadd('day', -1, dbt.dateadd('year', 1, 'period_start')) }}
            end as period_end
        from counted
    )

select
    cast(f.unit_level as {{ dbt.type_string() }}) as unit_level,
    cast(f.unit_kind as {{ dbt.type_string() }}) as unit_kind,
    cast(f.period_type as {{ dbt.type_string() }}) as period_type,
    cast(f.period_start as date) as period_start,
    cast(f.period_end as date) as period_end,
    cast(
        case
            f.period_type
            when 'month'
            then
                {{ dbt.concat([
                "cast(extract(year from f.period_start) as " ~ dbt.type_string() ~ ")", "'-'",
                "case when extract(month from f.period_start) < 10 then '0' else '' end",
                "cast(extract(month from f.period_start) as " ~ dbt.type_string() ~ ")"]) }}
            when 'quarter'
            then
                {{ dbt.concat([
                "cast(extract(year from f.period_start) as " ~ dbt.type_string() ~ ")", "'-Q'",
                "cast(extract(quarter from f.period_start) as " ~ dbt.type_string() ~ ")"]) }}
            else cast(extract(year from f.period_start) as {{ dbt.type_string() }})
        end as {{ dbt.type_string() }}
    ) as period_label,
    cast(f.period_end <= {{ as_of_date() }} as boolean) as is_period_complete,
    cast(
        extract(year from f.period_start) * 10000 + extract(month from f.period_start) * 100 + 1 as integer
    ) as period_start_date_key,
    cast(f.admin_unit_key as integer) as admin_unit_key,
    cast(case when f.unit_kind = 'district' then u.unit_code end as {{ dbt.type_string() }}) as district_code,
    cast(
        case
            f.unit_kind
            when 'province'
            then 'Toàn tỉnh'
            when 'district'
            then u.unit_name
            when 'provincial_departments'
            then 'Các sở, ngành cấp tỉnh'
            when 'unknown_agency'
            then 'Không xác định cơ quan giải quyết'
            when 'no_district'
            then 'Cơ quan không thuộc huyện nào (từ 01/07/2025)'
        end as {{ dbt.type_string() }}
    ) as district_name,
    cast(f.agency_key as integer) as agency_key,
    cast(case when f.unit_level = 'agency' then a.agency_code end as {{ dbt.type_string() }}) as agency_code,
    cast(case when f.unit_level = 'agency' then a.agency_name end as {{ dbt.type_string() }}) as agency_name,
    cast(
        case when f.unit_level = 'agency' then a.agency_level end as {{ dbt.type_string() }}
    ) as agency_level,
    cast(
        case when f.unit_level = 'agency' then a.district_code end as {{ dbt.type_string() }}
    ) as agency_district_code,
    cast(
        case when f.unit_level = 'agency' then a.commune_code end as {{ dbt.type_string() }}
    ) as agency_commune_code,
    {%- for c in counts %} cast(f.{{ c }} as bigint) as {{ c }}{{ ',' if not loop.last }} {%- endfor %}
from labelled as f
left join admin_units as u on u.admin_unit_key = f.admin_unit_key and f.unit_kind = 'district'
left join agencies as a on a.agency_key = f.agency_key and f.unit_level = 'agency'
