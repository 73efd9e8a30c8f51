-- One row per radio technology of the OpenCelliD dump (GSM, UMTS, LTE, NR), plus the unknown member (-1).
with
    technologies as (
        select 1 as radio_technology_key, 'GSM' as radio_code, '2G' as generation, false as is_3g4g
        union all
        select 2, 'UMTS', '3G', true
        union all
        select 3, 'LTE', '4G', true
        union all
        select 4, 'NR', '5G', false
    )

select
    cast(radio_technology_key as integer) as radio_technology_key,
    cast(radio_code as {{ dbt.type_string() }}) as radio_code,
    cast(generation as {{ dbt.type_string() }}) as generation,
    cast(is_3g4g as boolean) as is_3g4g
from technologies

union all

select
    cast(-1 as integer),
    cast('?' as {{ dbt.type_string() }}),
    cast('?' as {{ dbt.type_string() }}),
    cast(false as boolean)
