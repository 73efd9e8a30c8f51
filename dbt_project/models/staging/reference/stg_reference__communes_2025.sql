with source as (select * from {{ source('reference', 'communes_2025') }}), renamed as (select * from source)

select *
from renamed
