-- One row per OCOP producer (business, cooperative, cooperative group or household business), plus the
-- unknown member (-1). A household business is a person: only its type and a pseudonym are kept.
with
    listings as (
        select * from {{ ref('int_ocop_listings_deduplicated') }} where producer_name_key is not null
    ),

    producers as (
        select
            producer_name_key,
            max(producer_name) as producer_name,
            max(producer_pseudonym) as producer_pseudonym,
            max(producer_type) as producer_type,
            max(case when is_household_producer then 1 else 0 end) = 1 as is_household
        from listings
        group by producer_name_key
    )

select
    cast(row_number() over (order by producer_name_key) as integer) as producer_key,
    cast(producer_name_key as {{ dbt.type_string() }}) as producer_natural_key,
    cast(producer_name as {{ dbt.type_string() }}) as producer_name,
    cast(producer_pseudonym as {{ dbt.type_string() }}) as producer_pseudonym,
    cast(producer_type as {{ dbt.type_string() }}) as producer_type,
    cast(is_household as boolean) as is_household
from producers

union all

select
    cast(-1 as integer),
    cast('?' as {{ dbt.type_string() }}),
    cast(null as {{ dbt.type_string() }}),
    cast(null as {{ dbt.type_string() }}),
    cast('Không xác định' as {{ dbt.type_string() }}),
    cast(false as boolean)
