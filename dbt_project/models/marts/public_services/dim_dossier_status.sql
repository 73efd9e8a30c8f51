-- One row per dossier status of the contract's list (TrangThaiHoSo 1-10), plus the unknown member (-1) for a
-- code out of the list. The key is the code. Generated from macros/public_services/public_services_code_lists.sql.
with statuses as (
    {%- for s in public_services_statuses() %}
    select
        {{ s[0] }} as status_key,
        {{ s[0] }} as status_code,
        '{{ s[1] }}' as status_name,
        '{{ s[2] }}' as status_label,
        {{ 'true' if s[3] else 'false' }} as is_handling_ended,
        {{ 'true' if s[4] else 'false' }} as is_completed,
        {{ 'true' if s[0] in [1, 2, 4, 5, 6] else 'false' }} as is_open
    union all
    {%- endfor %}
    select -1, cast(null as integer), 'Ngoài danh mục', 'out_of_list', false, false, false
)

select
    cast(status_key as integer) as status_key,
    cast(status_code as integer) as status_code,
    cast(status_name as {{ dbt.type_string() }}) as status_name,
    cast(status_label as {{ dbt.type_string() }}) as status_label,
    is_handling_ended,
    is_completed,
    is_open
from statuses
