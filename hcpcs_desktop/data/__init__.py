"""Reading CMS release files and building the HCPCS database from them."""
