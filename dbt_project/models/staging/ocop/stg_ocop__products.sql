-- One row per listed product row: text NFC-normalised and trimmed, the name key of docs/contracts/ocop.md,
-- group labels mapped to the six OCOP groups. A household producer (`Hộ kinh doanh <name>`) is a person: its
-- name is replaced by a pseudonym; the address (hamlet level) is dropped, the commune code kept.
with
    source as (select * from {{ source('ocop', 'ocop_products') }}),

    renamed as (
        select
            stt as list_row_number,
            trim(product_id) as product_id,
            trim(nfc_normalize(product_name)) as product_name,
            trim(regexp_replace(lower(nfc_normalize(product_name)), '\s+', ' ', 'g')) as product_name_key,
            -- the name key ignoring diacritics too: tells a product listed again with its name typed
            -- differently
            strip_accents(
                trim(regexp_replace(lower(nfc_normalize(product_name)), '\s+', ' ', 'g'))
            ) as product_name_loose_key,
            coalesce(
                product_name <> trim(product_name) or product_name like '%  %', false
            ) as has_product_name_extra_spaces,
            nullif(trim(producer_name), '') is null as is_producer_missing,
            case
                when lower(nfc_normalize(trim(producer_name))) like 'công ty%'
                then 'Công ty'
                when
                    lower(nfc_normalize(trim(producer_name))) like 'htx%'
                    or lower(nfc_normalize(trim(producer_name))) like 'hợp tác xã%'
                then 'Hợp tác xã'
                when lower(nfc_normalize(trim(producer_name))) like 'hộ kinh doanh%'
                then 'Hộ kinh doanh'
                when lower(nfc_normalize(trim(producer_name))) like 'tổ hợp tác%'
                then 'Tổ hợp tác'
            end as producer_type_from_name,
            {{ address_key('address') }} as address_key,
            nullif(trim(address), '') is null as is_address_missing,
            coalesce(product_name <> nfc_normalize(product_name), false)
            or coalesce(producer_name <> nfc_normalize(producer_name), false) as has_non_nfc_text,
            case
                when
                    nfc_normalize(trim(producer_type)) = 'Hộ kinh doanh'
                    or lower(nfc_normalize(trim(producer_name))) like 'hộ kinh doanh%'
                then true
                else false
            end as is_household_producer,
            case
                when
                    nfc_normalize(trim(producer_type)) = 'Hộ kinh doanh'
                    or lower(nfc_normalize(trim(producer_name))) like 'hộ kinh doanh%'
                then null
                else nullif(trim(regexp_replace(nfc_normalize(producer_name), '\s+', ' ', 'g')), '')
            end as producer_name,
            case
                when
                    nfc_normalize(trim(producer_type)) = 'Hộ kinh doanh'
                    or lower(nfc_normalize(trim(producer_name))) like 'hộ kinh doanh%'
                then
                    pseudonym(
                        nullif(trim(regexp_replace(lower(nfc_normalize(producer_name)), '\s+', ' ', 'g')), '')
                    )
            end as producer_pseudonym,
            case
                when
                    nfc_normalize(trim(producer_type)) = 'Hộ kinh doanh'
                    or lower(nfc_normalize(trim(producer_name))) like 'hộ kinh doanh%'
                then
                    pseudonym(
                        nullif(trim(regexp_replace(lower(nfc_normalize(producer_name)), '\s+', ' ', 'g')), '')
                    )
                else nullif(trim(regexp_replace(lower(nfc_normalize(producer_name)), '\s+', ' ', 'g')), '')
            end as producer_name_key,
            nullif(trim(nfc_normalize(producer_type)), '') as producer_type,
            nullif(trim(commune_code), '') as commune_code,
            nullif(trim(nfc_normalize(district_name)), '') as district_name_as_listed,
            nullif(trim(nfc_normalize(product_group)), '') as product_group_as_listed,
            case
                trim(nfc_normalize(product_group))
                when 'Nông sản'
                then 'Thực phẩm'
                when 'Thực phẩm chế biến'
                then 'Thực phẩm'
                when 'Đồ uống có cồn'
                then 'Đồ uống'
                when 'Nước giải khát'
                then 'Đồ uống'
                when 'Dược liệu'
                then 'Thảo dược'
                when 'Sản phẩm từ dược liệu'
                then 'Thảo dược'
                when 'Thủ công mỹ nghệ'
                then 'Lưu niệm – nội thất – trang trí'
                when 'Lưu niệm - nội thất - trang trí'
                then 'Lưu niệm – nội thất – trang trí'
                when 'Du lịch cộng đồng'
                then 'Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch'
                when 'Dịch vụ du lịch'
                then 'Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch'
                else nullif(trim(nfc_normalize(product_group)), '')
            end as product_group,
            stars as stars_listed,
            nullif(trim(five_star_potential), '') as five_star_potential_delivered,
            coalesce(lower(trim(five_star_potential)) = 'x', false) as is_five_star_potential,
            score,
            recognition_year,
            nullif(trim(decision_no), '') as decision_no,
            decision_date,
            expiry_date,
            _source_file,
            _source_row,
            _loaded_at
        from source
    )

select *
from renamed
