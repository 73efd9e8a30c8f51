-- One row per mobile operator of MCC 452 (code list of docs/contracts/bts.md), plus the unknown member (-1).
with
    operators as (
        select 1 as operator_key, 1 as net_code, 'MobiFone' as operator_name, 'MobiFone' as register_name
        union all
        select 2, 2, 'VinaPhone (VNPT)', 'VNPT'
        union all
        select 3, 4, 'Viettel', 'Viettel'
        union all
        select 4, 5, 'Vietnamobile', 'Vietnamobile'
        union all
        select 5, 7, 'Gmobile', 'Gmobile'
    )

select
    cast(operator_key as integer) as operator_key,
    cast(452 as integer) as mcc,
    cast(net_code as integer) as net_code,
    cast(operator_name as {{ dbt.type_string() }}) as operator_name,
    cast(register_name as {{ dbt.type_string() }}) as register_name
from operators

union all

select
    cast(-1 as integer),
    cast(null as integer),
    cast(null as integer),
    cast('Không xác định' as {{ dbt.type_string() }}),
    cast(null as {{ dbt.type_string() }})
