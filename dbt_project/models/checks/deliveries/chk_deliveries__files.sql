{{ config(tags=['daily']) }}
-- One row per delivery the warehouse expects or received, from the load ledger (feed_deliveries lists what
-- each landing table expects): a day of a daily feed (from its first delivered day to the as-of date), a
-- district's snapshot, a single-file snapshot, every delivered path (its latest load attempt), and each
-- landing table as a whole (its newest day and delivery). One column per rule of _deliveries__checks.yml.
{% set as_of = as_of_date() %}

with
    loads as (select * from {{ ref('stg_ledger__loads') }} where table_name is not null and table_name <> ''),

    deliveries as (select * from {{ ref('feed_deliveries') }}),

    districts as (select district_code from {{ ref('stg_reference__legacy_districts') }}),

    holidays as (
        select distinct cast(holiday_date as date) as holiday_date
        from {{ source('reference', 'public_holidays') }}
    ),

    current_files as (select * from loads where is_current and status = 'loaded'),

    previous_versions as (
        select table_name, source_file, arg_max(rows_read, loaded_at) as previous_rows
        from loads
        where status = 'loaded' and not is_current
        group by table_name, source_file
    ),

    latest_attempts as (
        select *
        from loads
        qualify
            row_number() over (partition by table_name, source_file order by loaded_at desc, is_current desc)
            = 1
    ),

    daily_rows as (
        select table_name, partition_day as day, sum(rows_read) as rows_read
        from current_files
        where partition_day is not null
        group by table_name, partition_day
    ),

    day_spine as (
        select
            d.table_name,
            d.feed,
            cast(
                unnest(
                    generate_series(
                        coalesce(least(min(r.day), {{ as_of }}), {{ as_of }}), {{ as_of }}, interval 1 day
                    )
                ) as date
            ) as day
        from deliveries as d
        left join daily_rows as r on r.table_name = d.table_name
        where d.delivery = 'daily'
        group by d.table_name, d.feed
    ),

    day_rows as (
        select
            s.feed,
            s.table_name,
            s.day,
            r.day is not null as is_delivered,
            r.rows_read,
            s.day in (select holiday_date from holidays) as is_holiday
        from day_spine as s
        left join daily_rows as r on r.table_name = s.table_name and r.day = s.day
    ),

    -- a day's volume is compared with the median of the same weekday in the four weeks before (holidays and
    -- days not delivered left out of the median)
    days as (
        select
            'day' as kind,
            x.feed,
            x.table_name,
            x.day,
            replace(
                replace(d.expected_path, '{year}', strftime(x.day, '%Y')),
                '{day}',
                strftime(x.day, '%Y-%m-%d')
            ) as expected_path,
            x.is_delivered,
            x.rows_read,
            median(case when not x.is_holiday then x.rows_read end) over (
                partition by x.table_name, dayofweek(x.day)
                order by x.day
                rows between 4 preceding and 1 preceding
            ) as rows_week_before,
            x.is_holiday as is_holiday_compared,
            cast(null as bigint) as previous_rows,
            cast(null as varchar) as latest_status,
            cast(null as varchar) as district_code
        from day_rows as x
        inner join deliveries as d on d.table_name = x.table_name
    ),

    expected_snapshots as (
        select
            d.feed,
            d.table_name,
            replace(d.expected_path, '{district_code}', x.district_code) as expected_path,
            x.district_code,
            'district' as kind
        from deliveries as d
        cross join districts as x
        where d.delivery = 'per_district'
        union all
        select feed, table_name, expected_path, cast(null as varchar), 'file'
        from deliveries
        where delivery = 'single'
    ),

    snapshots as (
        select
            e.kind,
            e.feed,
            e.table_name,
            cast(null as date) as day,
            e.expected_path,
            f.source_file is not null as is_delivered,
            f.rows_read,
            cast(null as bigint) as rows_week_before,
            false as is_holiday_compared,
            p.previous_rows,
            cast(null as varchar) as latest_status,
            e.district_code
        from expected_snapshots as e
        -- the file as the contract names it, or gzip-compressed
        left join
            current_files as f
            on f.table_name = e.table_name
            and f.source_file in (e.expected_path, e.expected_path || '.gz')
        left join
            previous_versions as p
            on p.table_name = e.table_name
            and p.source_file in (e.expected_path, e.expected_path || '.gz')
    ),

    paths as (
        select
            'path' as kind,
            a.feed,
            a.table_name,
            a.partition_day as day,
            a.source_file as expected_path,
            a.status = 'loaded' as is_delivered,
            a.rows_read,
            cast(null as bigint) as rows_week_before,
            false as is_holiday_compared,
            cast(null as bigint) as previous_rows,
            a.status as latest_status,
            cast(null as varchar) as district_code
        from latest_attempts as a
    ),

    tables as (
        select
            'table' as kind,
            d.feed,
            d.table_name,
            max(f.partition_day) as day,
            'table:' || d.table_name as expected_path,
            count(f.source_file) > 0 as is_delivered,
            sum(f.rows_read) as rows_read,
            cast(null as bigint) as rows_week_before,
            false as is_holiday_compared,
            cast(null as bigint) as previous_rows,
            cast(null as varchar) as latest_status,
            cast(null as varchar) as district_code
        from deliveries as d
        left join current_files as f on f.table_name = d.table_name
        group by d.feed, d.table_name
    ),

    newest_deliveries as (
        select table_name, max(file_modified_at) as newest_delivery_at from current_files group by table_name
    ),

    prepared as (
        select
            u.expected_path as record_key,
            u.*,
            {{ as_of }} as as_of,
            d.delivery,
            d.cadence_days,
            n.newest_delivery_at,
            cast(null as varchar) as commune_code,
            cast(null as varchar) as agency_code,
            cast(null as varchar) as operator
        from
            (
                select *
                from days
                union all
                select *
                from snapshots
                union all
                select *
                from paths
                union all
                select *
                from tables
            ) as u
        left join deliveries as d on d.table_name = u.table_name
        left join newest_deliveries as n on n.table_name = u.table_name
    )

select prepared.* {{ quality_rule_columns() }}
from prepared
