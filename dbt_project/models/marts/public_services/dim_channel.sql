-- One row per channel of the contract's list (KenhThucHien 1-3), plus the unknown member (-1) for a code out
-- of the list. The key is the code. Read from the seed code_lists/dossier_channels.
with channels as (select * from {{ ref('dossier_channels') }})

select
    cast(channel_code as integer) as channel_key,
    cast(channel_code as integer) as channel_code,
    cast(channel_name as {{ dbt.type_string() }}) as channel_name,
    cast(channel_label as {{ dbt.type_string() }}) as channel_label,
    is_online
from channels
union all
select
    -1,
    cast(null as integer),
    cast('Không xác định' as {{ dbt.type_string() }}),
    cast('unknown' as {{ dbt.type_string() }}),
    false
