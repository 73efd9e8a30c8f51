-- One row per listed row with the OCOP counting rules of docs/contracts/ocop.md as the OCOP quality rules
-- define them (chk_ocop__products): active on the as-of date (an expiry date on or after it: rule
-- ocop.expired_still_listed), one row per product (rule ocop.duplicate_product: the same name ignoring case,
-- spacing, diacritics and Unicode form, an active listing before an expired one, then the smallest
-- `Mã sản phẩm`; a product id listed twice keeps its first row, rule ocop.product_id_duplicated), and the
-- star from the score band when `Hạng sao` is empty.
with
    checked as (
        select *
        from {{ ref('chk_ocop__products') }}
        -- one row per product id: the repeats of an id (rule ocop.product_id_duplicated) stay in dq.*
        where not coalesce(product_id_duplicated, false)
    ),

    rated as (
        select
            checked.*,
            case
                when score >= 50 and score < 70 then 3 when score >= 70 and score <= 100 then 4
            end as stars_from_score,
            expiry_date is not null and not coalesce(expired_still_listed, false) as is_active_on_as_of
        from checked
    )

select
    list_row_number,
    product_id,
    product_name,
    product_name_key,
    is_household_producer,
    producer_name,
    producer_pseudonym,
    producer_name_key,
    producer_type,
    commune_code,
    district_name_as_listed,
    product_group_as_listed,
    product_group,
    stars_listed,
    stars_from_score,
    coalesce(stars_listed, stars_from_score) as star_rating,
    stars_listed is null and stars_from_score is not null as is_star_from_score,
    is_five_star_potential,
    score,
    recognition_year,
    decision_no,
    decision_date,
    expiry_date,
    is_active_on_as_of,
    coalesce(duplicate_product, false) as is_duplicate_listing,
    is_active_on_as_of and not coalesce(duplicate_product, false) as is_counted_on_as_of,
    coalesce(score_star_mismatch, false) as has_score_star_mismatch,
    coalesce(commune_not_in_province, false) as has_commune_outside_province,
    coalesce(invalid_group, false) as has_group_alias,
    coalesce(producer_missing, false)
    or coalesce(decision_no_missing, false)
    or coalesce(stars_missing, false) as has_missing_mandatory_field,
    coalesce(non_nfc_text, false) as has_non_nfc_text,
    coalesce(inconsistent_district_spelling, false) as has_inconsistent_district_spelling,
    {{ quality_rules_failed('chk_ocop__products', 'rated') }} as quality_rules_failed,
    _source_file,
    _source_row
from rated
