"""The national population database (Đề án 06): the commune's file round trip with the police
and the online lookup's adapter. docs/population-database.md describes both."""
