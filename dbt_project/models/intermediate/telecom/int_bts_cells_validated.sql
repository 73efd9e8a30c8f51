-- One row per delivered cell row with the contract's rules 1-3 (docs/contracts/bts.md) as the BTS quality
-- rules define them (chk_bts__cells): a valid cell (a technology in service, MCC 452, a licensed network, the
-- key fields and a position inside the province), the station it belongs to and whether the cell was seen in
-- the year before the as-of instant; a repeated cell key is flagged (rule bts.duplicate_cell).
with checked as (select * from {{ ref('chk_bts__cells') }})

select
    cast(row_number() over (order by _source_file, _source_row) as bigint) as cell_row_id,
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
    is_radio_in_service,
    is_mcc_vietnam and is_net_known as is_network_code_valid,
    has_required_fields,
    is_inside_province,
    is_updated_within_year,
    is_valid_cell as is_valid,
    coalesce(duplicate_cell, false) as is_duplicate_row,
    station_id,
    {{ quality_rules_failed('chk_bts__cells', 'checked') }} as quality_rules_failed
from checked
