"""An OpenAI-compatible upstream simulator for offline trials, tests and benchmarks."""

from simulator.app import build_simulator_app, run_simulator
from simulator.background import BackgroundSimulator
from simulator.config import SimulatorConfig

__all__ = ["BackgroundSimulator", "SimulatorConfig", "build_simulator_app", "run_simulator"]
