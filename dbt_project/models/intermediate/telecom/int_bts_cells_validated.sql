-- One row per delivered cell row with the validity rule (1) of docs/contracts/bts.md, the station it belongs
-- to (rule 2), whether it was seen in the year before the as-of instant (rule 3) and one flag per defect check.
with cells as (
    select * from {{ ref('stg_bts__cells') }}
),

checked as (
    select
        cell_key,
        radio,
        mcc,
        net,
        area,
        cell,
        base_station_id,
        lon,
        lat,
        range_m,
        samples,
        created_unix,
        updated_unix,
        created_date,
        updated_date,
        _source_file,
        _source_row,
        coalesce(radio in ('GSM', 'UMTS', 'LTE'), false) as is_radio_in_service,
        coalesce(mcc = 452 and net in (1, 2, 4, 5, 7), false) as is_network_code_valid,
        area is not null and cell is not null and lon is not null and lat is not null as has_required_fields,
        -- the province box
        coalesce(lat between 20.6 and 21.3 and lon between 106.0 and 106.7, false) as is_inside_province,
        coalesce(updated_unix >= {{ telecom_as_of_unix() }} - 365 * 86400, false) as is_updated_within_year,
        row_number() over (partition by cell_key order by _source_file, _source_row) as key_occurrence
    from cells
),

validated as (
    select
        cast(row_number() over (order by _source_file, _source_row) as bigint) as cell_row_id,
        checked.*,
        is_radio_in_service and is_network_code_valid and has_required_fields and is_inside_province as is_valid,
        key_occurrence > 1 as is_duplicate_row
    from checked
)

select
    validated.*,
    case
        when is_valid
            then radio || ':' || cast(mcc as varchar) || ':' || cast(net as varchar) || ':' || base_station_id
    end as station_id
from validated
