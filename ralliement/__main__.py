from ralliement.cli import main

main()
