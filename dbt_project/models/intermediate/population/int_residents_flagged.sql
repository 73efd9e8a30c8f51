-- One row per snapshot record with the contract's defect rules applied (docs/contracts/population.md, "Rules
-- that find them"). Rules 1-7 run over every snapshot row in order, a row counted under the first rule it fails;
-- rules 8-10 run over the living rows. `is_counted_resident` is what population_records_digitised counts.
{% set as_of = as_of_date() %}

with residents as (
    select * from {{ ref('stg_population__residents') }}
),

death_records as (
    select distinct record_id
    from {{ ref('stg_population__life_events') }}
    where event_type = 'death'
),

-- rules 1-5: row-level checks, each only for a row the rules before it let through
row_rules as (
    select
        residents.*,
        coalesce(is_name_missing, false) or birth_date is null or coalesce(is_citizen_id_missing, false)
            as fails_rule_1,
        coalesce(
            birth_date > {{ as_of }} or birth_date < cast('1900-01-01' as date) or birth_date > updated_on, false
        ) as fails_rule_2,
        not coalesce(is_citizen_id_well_formed, true) as fails_rule_3,
        coalesce(is_ethnic_code_out_of_list, false) as fails_rule_4,
        coalesce(is_name_non_nfc, false) as fails_rule_5
    from residents
),

first_five as (
    select
        row_rules.*,
        fails_rule_1 as is_missing_mandatory_field,
        not fails_rule_1 and fails_rule_2 as is_impossible_birth_date,
        not (fails_rule_1 or fails_rule_2) and fails_rule_3 as is_invalid_id_structure,
        not (fails_rule_1 or fails_rule_2 or fails_rule_3) and fails_rule_4 as is_ethnic_code_out_of_list_issue,
        not (fails_rule_1 or fails_rule_2 or fails_rule_3 or fails_rule_4) and fails_rule_5 as is_non_nfc_name,
        not (fails_rule_1 or fails_rule_2 or fails_rule_3 or fails_rule_4 or fails_rule_5) as passes_rules_1_to_5
    from row_rules
),

-- rule 6: among the rows left, equal on (ID, name, date of birth, sex), every row but the smallest record id
duplicates as (
    select
        first_five.*,
        passes_rules_1_to_5
            and record_id <> min(case when passes_rules_1_to_5 then record_id end)
                over (partition by identity_pseudonym, sex) as is_duplicate_copy
    from first_five
),

-- rule 7: among the rows still left, an ID held by rows of another name or date of birth: all but the smallest
-- record id of that ID
shared as (
    select
        duplicates.*,
        passes_rules_1_to_5 and not is_duplicate_copy as passes_rules_1_to_6
    from duplicates
),

shared_flagged as (
    select
        shared.*,
        passes_rules_1_to_6
            and min(case when passes_rules_1_to_6 then identity_pseudonym end) over (partition by person_pseudonym)
                <> max(case when passes_rules_1_to_6 then identity_pseudonym end) over (partition by person_pseudonym)
            and record_id <> min(case when passes_rules_1_to_6 then record_id end)
                over (partition by person_pseudonym) as is_shared_id
    from shared
),

-- rule 8: a household with no living head; its former head is the living row holding the household's head ID
households_without_head as (
    select
        household_id,
        min(head_pseudonym) as head_pseudonym
    from residents
    where is_living
    group by household_id
    having sum(case when relation_to_head = 'head' then 1 else 0 end) = 0
),

all_rules as (
    select
        s.*,
        coalesce(s.is_living, false) and h.household_id is not null as is_household_without_head,
        coalesce(s.is_living, false) and d.record_id is not null as is_dead_still_active
    from shared_flagged as s
    left join households_without_head as h
        on h.household_id = s.household_id and h.head_pseudonym = s.person_pseudonym
    left join death_records as d on d.record_id = s.record_id
),

final as (
    select
        record_id,
        person_pseudonym,
        head_pseudonym,
        identity_pseudonym,
        household_id,
        relation_to_head,
        commune_code,
        birth_year,
        sex,
        ethnic_code,
        ethnic_code_delivered,
        status,
        coalesce(is_living, false) as is_living,
        updated_on,
        is_citizen_id_well_formed,
        is_missing_mandatory_field,
        is_impossible_birth_date,
        is_invalid_id_structure,
        is_ethnic_code_out_of_list_issue as is_ethnic_code_out_of_list,
        is_non_nfc_name,
        is_duplicate_copy,
        is_shared_id,
        is_household_without_head,
        is_dead_still_active,
        -- rule 10: not updated for more than 10 years, for a living row no rule above caught
        coalesce(is_living, false)
            and coalesce(updated_on < {{ dbt.dateadd('year', -10, as_of) }}, false)
            and not (is_missing_mandatory_field or is_impossible_birth_date or is_invalid_id_structure
                or is_ethnic_code_out_of_list_issue or is_non_nfc_name or is_duplicate_copy or is_shared_id
                or is_household_without_head or is_dead_still_active) as is_stale_update,
        coalesce(is_living, false) and not is_duplicate_copy and not is_dead_still_active as is_counted_resident,
        _source_file,
        _source_row
    from all_rules
)

select
    final.*,
    case
        when is_missing_mandatory_field then 'missing_mandatory_field'
        when is_impossible_birth_date then 'impossible_birth_date'
        when is_invalid_id_structure then 'invalid_id_structure'
        when is_ethnic_code_out_of_list then 'ethnic_code_out_of_list'
        when is_non_nfc_name then 'non_nfc_name'
        when is_duplicate_copy then 'duplicate_record'
        when is_shared_id then 'shared_id'
        when is_household_without_head then 'household_without_head'
        when is_dead_still_active then 'dead_still_active'
        when is_stale_update then 'stale_update'
    end as quality_issue
from final
