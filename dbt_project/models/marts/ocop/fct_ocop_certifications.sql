-- One row per listed product certification (every row of the list, expired and duplicate listings flagged,
-- not dropped). Products are counted with is_counted_on_as_of (docs/contracts/ocop.md KPI formulas; also
-- fct_ocop_products_counted); star_class splits 4★ from the potential five-star products the province rates
-- 4★.
with
    listings as (select * from {{ ref('int_ocop_listings_deduplicated') }}),

    product_groups as (select * from {{ ref('dim_ocop_group') }}),

    producers as (select * from {{ ref('dim_ocop_producer') }}),

    admin_units as (select * from {{ ref('dim_admin_unit') }} where unit_level = 'commune')

select
    cast(listings.product_id as {{ dbt.type_string() }}) as product_id,
    cast(listings.list_row_number as integer) as list_row_number,
    cast(listings.product_name as {{ dbt.type_string() }}) as product_name,
    cast(coalesce(product_groups.product_group_key, -1) as integer) as product_group_key,
    cast(coalesce(producers.producer_key, -1) as integer) as producer_key,
    cast(coalesce(admin_units.admin_unit_key, -1) as integer) as admin_unit_key,
    cast(listings.star_rating as integer) as stars,
    cast(listings.stars_listed as integer) as stars_listed,
    cast(listings.score as double) as score,
    cast(listings.is_five_star_potential as boolean) as is_five_star_potential,
    cast(
        case
            when listings.is_five_star_potential
            then '5_star_candidate'
            when listings.star_rating = 4
            then '4_star'
            when listings.star_rating = 3
            then '3_star'
        end as {{ dbt.type_string() }}
    ) as star_class,
    cast(listings.recognition_year as integer) as recognition_year,
    cast(listings.decision_no as {{ dbt.type_string() }}) as decision_no,
    cast({{ date_key('listings.decision_date') }} as integer) as decision_date_key,
    cast({{ date_key('listings.decision_date') }} as integer) as valid_from_date_key,
    cast({{ date_key('listings.expiry_date') }} as integer) as valid_to_date_key,
    cast(listings.is_active_on_as_of as boolean) as is_active_on_as_of,
    cast(listings.is_duplicate_listing as boolean) as is_duplicate_listing,
    cast(listings.is_counted_on_as_of as boolean) as is_counted_on_as_of,
    cast(listings.is_star_from_score as boolean) as is_star_from_score,
    cast(listings.has_score_star_mismatch as boolean) as has_score_star_mismatch,
    cast(listings.has_commune_outside_province as boolean) as has_commune_outside_province,
    cast(listings.has_group_alias as boolean) as has_group_alias,
    cast(listings.has_missing_mandatory_field as boolean) as has_missing_mandatory_field,
    cast(listings.has_non_nfc_text as boolean) as has_non_nfc_text,
    cast(listings.has_inconsistent_district_spelling as boolean) as has_inconsistent_district_spelling,
    cast(listings.quality_rules_failed as {{ dbt.type_string() }}) as quality_rules_failed
from listings
left join product_groups on product_groups.group_name = listings.product_group
left join producers on producers.producer_natural_key = listings.producer_name_key
left join
    admin_units
    on admin_units.unit_code = listings.commune_code
    and {{ admin_unit_valid_on('admin_units', "coalesce(listings.decision_date, " ~ as_of_date() ~ ")") }}
