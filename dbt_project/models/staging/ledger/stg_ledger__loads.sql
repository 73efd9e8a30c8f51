-- One row per load attempt of a delivered file (landing.load_ledger): the feed, the landing table, the path,
-- the status and counts, the day of a daily file and the delivery's modification time.
with
    source as (select * from {{ source('ledger', 'load_ledger') }}),

    renamed as (
        select
            load_id,
            feed,
            table_name,
            source_file,
            file_hash,
            file_bytes,
            case
                when file_mtime_ns is not null then make_timestamp(divide(file_mtime_ns, 1000))
            end as file_modified_at,
            partition_day,
            status,
            rows_read,
            rows_landed,
            rows_quarantined,
            message,
            loaded_at,
            is_current
        from source
    )

select *
from renamed
