-- One row per OCOP product group (the six groups of QĐ 148/QĐ-TTg, numbered in its order), plus the unknown
-- member (-1).
with
    product_groups as (
        select 1 as product_group_key, 'Thực phẩm' as group_name
        union all
        select 2, 'Đồ uống'
        union all
        select 3, 'Thảo dược'
        union all
        select 4, 'Vải và may mặc'
        union all
        select 5, 'Lưu niệm – nội thất – trang trí'
        union all
        select 6, 'Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch'
    )

select
    cast(product_group_key as integer) as product_group_key,
    cast(group_name as {{ dbt.type_string() }}) as group_name
from product_groups

union all

select cast(-1 as integer), cast('Không xác định' as {{ dbt.type_string() }})
