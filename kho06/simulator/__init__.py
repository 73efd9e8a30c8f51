"""The province simulator: writes the four raw feeds with recorded defects (see raw/README.md).

Entry point: `kho06.simulator.run.simulate(SimConfig(...))`, or `kho06 simulate` on the command line.
"""
