from impactkit.cli.app import main

main()
