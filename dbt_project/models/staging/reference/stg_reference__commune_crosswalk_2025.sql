with
    source as (select * from {{ source('reference', 'commune_crosswalk_2025') }}),

    renamed as (select * from source)

select *
from renamed
