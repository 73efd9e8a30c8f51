-- One row per listed product row with the facts the OCOP rules read — the reference units of its commune and
-- district, the code lists of groups and producer types, the earlier rows with the same name — and one column
-- per rule of _ocop__checks.yml.
{% set as_of = as_of_date() %}

with
    listings as (select * from {{ ref('stg_ocop__products') }}),

    communes as (select * from {{ ref('stg_reference__legacy_communes') }}),

    districts as (select * from {{ ref('stg_reference__legacy_districts') }}),

    product_groups as (select * from {{ ref('ocop_product_groups') }}),

    producer_types as (select * from {{ ref('ocop_producer_types') }}),

    prepared as (
        select
            coalesce(
                l.product_id, 'row:' || l._source_file || ':' || cast(l._source_row as varchar)
            ) as record_key,
            l.*,
            {{ as_of }} as as_of,
            c.commune_code is not null as is_commune_known,
            c.district_code,
            cast(null as varchar) as agency_code,
            cast(null as varchar) as operator,
            c.district_name as official_district_name,
            {{ admin_name_key('l.district_name_as_listed') }}
            = {{ admin_name_key('c.district_name') }} as is_district_name_same_unit,
            l.district_name_as_listed in (select district_name from districts) as is_district_name_official,
            strpos(l.address_key, {{ admin_name_key('c.commune_name') }}) > 0 as has_commune_in_address,
            l.product_group_as_listed in (select group_name from product_groups) as is_group_canonical,
            l.producer_type in (select producer_type from producer_types) as is_producer_type_known,
            regexp_full_match(l.product_id, 'HD-OCOP-[0-9]{4}-[0-9]{4}') as is_product_id_well_formed,
            row_number() over (
                partition by l.product_id order by l._source_file, l._source_row
            ) as product_id_occurrence,
            -- rows with one name: an active listing before an expired one, then the smallest product id
            row_number() over (
                partition by l.product_name_loose_key
                order by
                    case when l.expiry_date >= {{ as_of }} then 0 else 1 end,
                    l.product_id,
                    l._source_file,
                    l._source_row
            ) as name_occurrence,
            row_number() over (partition by l._source_file order by l._source_row) as row_position
        from listings as l
        left join communes as c on c.commune_code = l.commune_code
    )

select prepared.* {{ quality_rule_columns() }}
from prepared
