{#- chk_dossiers__lines: the reference rows a line is checked against, as CTEs (the first row of each procedure
    code in the catalogue, the province codes, the first row of each agency code in the register), for the model
    and for its test whether the stored lines were checked against the same rows. -#}
{% macro dossier_line_references() %}
    procedures as (
        select *
        from {{ ref('stg_dossiers__procedures') }}
        where procedure_code is not null
        qualify row_number() over (partition by procedure_code order by _source_file, _source_row) = 1
    ),

    province_codes as (select province_code from {{ ref('stg_reference__province_codes') }}),

    agencies as (
        select *
        from {{ ref('stg_dossiers__agencies') }}
        where agency_code is not null
        qualify row_number() over (partition by agency_code order by _source_file, _source_row) = 1
    )
{% endmacro %}

{#- The number of distinct reference facts stored in chk_dossiers__lines (`this`) that differ from what the
    reference rows and the as-of date give now: a changed catalogue or register row, another as-of date. Any
    other column of a line depends on the lines of its code only. -#}
{% macro dossier_lines_checked_otherwise(as_of) %}
    with
        {{ dossier_line_references() }},

        stored as (
            select distinct
                as_of,
                procedure_code,
                is_procedure_known,
                catalogue_procedure_name,
                catalogue_field_code,
                catalogue_handling_level,
                catalogue_service_level,
                catalogue_has_fee,
                catalogue_fee_vnd,
                agency_code,
                is_agency_known,
                agency_level,
                commune_code,
                district_code,
                sync_unit_code,
                is_sender_known,
                applicant_id_prefix,
                is_applicant_id_prefix_known
            from {{ this }}
        )

    select count(*) as facts
    from stored as s
    left join procedures as p on p.procedure_code = s.procedure_code
    left join agencies as a on a.agency_code = s.agency_code
    left join agencies as sender on sender.agency_code = s.sync_unit_code
    where
        s.as_of is distinct from {{ as_of }}
        or s.is_procedure_known is distinct from (p.procedure_code is not null)
        or s.catalogue_procedure_name is distinct from p.procedure_name
        or s.catalogue_field_code is distinct from p.field_code
        or s.catalogue_handling_level is distinct from p.handling_level
        or s.catalogue_service_level is distinct from p.service_level
        or s.catalogue_has_fee is distinct from p.has_fee
        or s.catalogue_fee_vnd is distinct from p.fee_vnd
        or s.is_agency_known is distinct from (a.agency_code is not null)
        or s.agency_level is distinct from a.agency_level
        or s.commune_code is distinct from a.commune_code
        or s.district_code is distinct from a.district_code
        or s.is_sender_known is distinct from (sender.agency_code is not null)
        or s.is_applicant_id_prefix_known
        is distinct from (s.applicant_id_prefix in (select province_code from province_codes))
{% endmacro %}
