-- One row per channel of the contract's list (KenhThucHien 1-3), plus the unknown member (-1) for a code out of
-- the list. The key is the code. Generated from macros/public_services/public_services_code_lists.sql.
with channels as (
    {%- for c in public_services_channels() %}
    select
        {{ c[0] }} as channel_key,
        {{ c[0] }} as channel_code,
        '{{ c[1] }}' as channel_name,
        '{{ c[2] }}' as channel_label
    union all
    {%- endfor %}
    select -1, cast(null as integer), 'Không xác định', 'unknown'
)

select
    cast(channel_key as integer) as channel_key,
    cast(channel_code as integer) as channel_code,
    cast(channel_name as {{ dbt.type_string() }}) as channel_name,
    cast(channel_label as {{ dbt.type_string() }}) as channel_label,
    channel_key = 2 as is_online
from channels
