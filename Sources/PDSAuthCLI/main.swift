print("pds-auth")
