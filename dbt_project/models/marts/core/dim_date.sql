-- One row per calendar day from var('calendar_first_day') to var('calendar_last_day') (2000-01-01 to
-- 2030-12-31), plus the unknown member (date_key -1).
with
    days as (
        select {{ dbt.dateadd('day', 'n', "cast('" ~ var('calendar_first_day') ~ "' as date)") }} as date_day
        from ({{ integer_spine(5) }}) as spine
        where
            n
            <= {{ dbt.datediff("cast('" ~ var('calendar_first_day') ~ "' as date)", "cast('" ~ var('calendar_last_day') ~ "' as date)", 'day') }}
    ),

    calendar as (
        select
            cast(
                extract(year from date_day) * 10000
                + extract(month from date_day) * 100
                + extract(day from date_day) as integer
            ) as date_key,
            cast(date_day as date) as date_day,
            cast(extract(year from date_day) as integer) as year,
            cast(extract(quarter from date_day) as integer) as quarter,
            cast(extract(month from date_day) as integer) as month,
            cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
            cast(extract(isodow from date_day) as integer) as iso_day_of_week,
            extract(isodow from date_day) in (6, 7) as is_weekend
        from days
    )

select *
from calendar
union all
select -1, null, null, null, null, null, null, null
