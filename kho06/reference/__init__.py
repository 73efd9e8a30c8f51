"""Reference data the warehouse owns: administrative units (`admin_units`), the 63 legacy province codes that open
a citizen ID (`province_codes`, from `data/province_codes.csv`) and Vietnam's public holidays (`public_holidays`).

The pipeline writes them as `reference.*` tables; the simulator draws its province from the same modules.
"""
