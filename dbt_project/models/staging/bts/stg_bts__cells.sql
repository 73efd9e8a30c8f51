-- One row per delivered cell row (defects included): codes trimmed, the feed's cell key and the base-station
-- id derived (docs/contracts/bts.md), first/last seen as Vietnam-time (UTC+7) dates.
with
    source as (select * from {{ source('bts', 'bts_cells') }}),

    renamed as (
        select
            coalesce(radio, '')
            || ':'
            || coalesce(cast(mcc as varchar), '')
            || ':'
            || coalesce(cast(net as varchar), '')
            || ':'
            || coalesce(cast(area as varchar), '')
            || ':'
            || coalesce(cast(cell as varchar), '') as cell_key,
            nullif(upper(trim(radio)), '') as radio,
            mcc is null or net is null or area is null or cell is null as has_missing_key_part,
            mcc,
            net,
            area,
            cell,
            case
                upper(trim(radio))
                when 'GSM'
                then cast(area as varchar) || '-' || cast(divide(cell, 10) as varchar)
                when 'UMTS'
                then cast(divide(cell, 65536) as varchar) || '-' || cast(divide(cell % 65536, 10) as varchar)
                when 'LTE'
                then cast(divide(cell, 256) as varchar)
            end as base_station_id,
            unit,
            lon,
            lat,
            range_m,
            samples,
            changeable,
            changeable = 1 as is_position_estimated,
            created_unix,
            updated_unix,
            date '1970-01-01' + cast(floor((created_unix + 7 * 3600) / 86400) as integer) as created_date,
            date '1970-01-01' + cast(floor((updated_unix + 7 * 3600) / 86400) as integer) as updated_date,
            average_signal_dbm as average_signal_dbm_delivered,
            nullif(average_signal_dbm, 0) as average_signal_dbm,
            _source_file,
            _source_row,
            _loaded_at
        from source
    )

select *
from renamed
