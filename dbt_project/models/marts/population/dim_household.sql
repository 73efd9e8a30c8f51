-- One row per household of the register snapshot (`Mã hộ`), plus the unknown member (household_key -1).
-- Members are counted over the living records; the household's commune is its living head's, or for a
-- household without a living head the smallest commune code of its living members.
{% set as_of = as_of_date() %}

with
    residents as (select * from {{ ref('int_residents_flagged') }}),

    admin_units as (select * from {{ ref('dim_admin_unit') }}),

    households as (
        select
            household_id,
            count(*) as member_records,
            sum(case when is_living then 1 else 0 end) as living_members,
            sum(case when is_counted_resident then 1 else 0 end) as counted_members,
            sum(case when is_living and relation_to_head = 'head' then 1 else 0 end) as living_heads,
            min(case when is_living and relation_to_head = 'head' then commune_code end) as head_commune_code,
            min(case when is_living then commune_code end) as min_living_commune_code,
            max(case when is_living then commune_code end) as max_living_commune_code,
            min(case when is_living and relation_to_head = 'head' then person_pseudonym end) as head_pseudonym
        from residents
        where household_id is not null
        group by household_id
    ),

    keyed as (
        select
            cast(row_number() over (order by household_id) as integer) as household_key,
            household_id,
            coalesce(head_commune_code, min_living_commune_code) as commune_code,
            head_pseudonym,
            cast(member_records as integer) as member_records,
            cast(living_members as integer) as living_members,
            cast(counted_members as integer) as counted_members,
            living_heads = 1 as has_one_head,
            min_living_commune_code <> max_living_commune_code as has_members_in_several_communes
        from households
    ),

    final as (
        select
            keyed.household_key,
            keyed.household_id,
            coalesce(u.admin_unit_key, -1) as admin_unit_key,
            keyed.commune_code,
            keyed.head_pseudonym,
            keyed.member_records,
            keyed.living_members,
            keyed.counted_members,
            keyed.has_one_head,
            coalesce(keyed.has_members_in_several_communes, false) as has_members_in_several_communes
        from keyed
        left join
            admin_units as u
            on u.unit_code = keyed.commune_code
            and u.unit_level = 'commune'
            and {{ admin_unit_valid_on('u', as_of) }}
    )

select *
from final
union all
select
    -1,
    '?',
    -1,
    cast(null as {{ dbt.type_string() }}),
    cast(null as {{ dbt.type_string() }}),
    0,
    0,
    0,
    false,
    false
