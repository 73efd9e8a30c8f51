-- One row per listed row with the rules of docs/contracts/ocop.md: active on the as-of date (expiry on or
-- after it), one row per product (name key; the smallest `Mã sản phẩm` among active rows is kept), the star from
-- the score band when `Hạng sao` is empty, and one flag per defect check.
with listings as (
    select * from {{ ref('stg_ocop__products') }}
),

communes as (
    select commune_code from {{ ref('stg_reference__legacy_communes') }}
),

districts as (
    select district_name from {{ ref('stg_reference__legacy_districts') }}
),

rated as (
    select
        listings.*,
        case
            when score >= 50 and score < 70 then 3
            when score >= 70 and score <= 100 then 4
        end as stars_from_score,
        coalesce(expiry_date >= {{ as_of_date() }}, false) as is_active_on_as_of,
        communes.commune_code is null as has_commune_outside_province,
        districts.district_name is null as has_inconsistent_district_spelling
    from listings
    left join communes on communes.commune_code = listings.commune_code
    left join districts on districts.district_name = listings.district_name_as_listed
),

ranked as (
    select
        rated.*,
        coalesce(stars_listed, stars_from_score) as star_rating,
        stars_listed is null and stars_from_score is not null as is_star_from_score,
        row_number() over (
            partition by product_name_key
            order by case when is_active_on_as_of then 0 else 1 end, product_id
        ) as name_key_rank
    from rated
)

select
    ranked.*,
    name_key_rank > 1 as is_duplicate_listing,
    is_active_on_as_of and name_key_rank = 1 as is_counted_on_as_of,
    coalesce(
        (stars_listed = 3 and not (score >= 50 and score < 70))
        or (stars_listed = 4 and not is_five_star_potential and not (score >= 70 and score < 90))
        or (is_five_star_potential and score < 90),
        false
    ) as has_score_star_mismatch,
    coalesce(product_group_as_listed <> product_group, false) as has_group_alias,
    producer_name_key is null or decision_no is null or stars_listed is null as has_missing_mandatory_field
from ranked
