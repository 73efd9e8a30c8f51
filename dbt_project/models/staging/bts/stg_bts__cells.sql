-- One row per delivered cell row: codes trimmed, the base-station id derived (docs/contracts/bts.md).
with source as (
    select * from {{ source('bts', 'bts_cells') }}
),

renamed as (
    select
        upper(trim(radio)) as radio,
        mcc,
        net,
        area,
        cell,
        radio || ':' || cast(mcc as varchar) || ':' || cast(net as varchar) || ':'
            || coalesce(cast(area as varchar), '') || ':' || cast(cell as varchar) as cell_key,
        case upper(trim(radio))
            when 'GSM' then cast(area as varchar) || '-' || cast(cell // 10 as varchar)
            when 'UMTS' then cast(cell // 65536 as varchar) || '-' || cast((cell % 65536) // 10 as varchar)
            when 'LTE' then cast(cell // 256 as varchar)
        end as base_station_id,
        unit,
        lon,
        lat,
        range_m,
        samples,
        changeable = 1 as is_position_estimated,
        to_timestamp(created_unix) as created_at,
        to_timestamp(updated_unix) as updated_at,
        nullif(average_signal_dbm, 0) as average_signal_dbm,
        _source_file,
        _source_row,
        _loaded_at
    from source
)

select * from renamed
