// Package protocol is the gossip protocol core: every decision a trial's
// outcome depends on, written once, for every engine to carry out. It says
// who a node contacts (Graph), which messages are lost (Draws), which nodes
// fail (Victims), where the rumor starts (Source), what each mode sends and
// answers (Rules), how each message is counted (Tally) and when a trial
// stops (Done). The round semantics it implements are those of
// docs/design.md, "Round semantics".
//
// Every random choice is a pure function of the trial's seed, the round,
// the node, the purpose of the draw and an index (counter-based
// randomness, as in Salmon et al., "Parallel random numbers: as easy as 1,
// 2, 3"), never the next number of a shared generator. So the simulator,
// a real node in its own process and a node on another host draw the same
// numbers in any order, and a lockstep run of real nodes gives exactly the
// simulator's rows.
package protocol
