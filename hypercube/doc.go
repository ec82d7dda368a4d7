// Package hypercube is Larson's hypercube queueing model of spatially
// distributed servers: how busy each response unit is, which units answer
// calls from where, how often every unit is busy at once, and the travel
// times that follow. It solves the model exactly for up to 15 servers and
// approximately, by Larson's method, for hundreds. It knows nothing of
// police: the servers could be ambulances or fire engines as well as
// armed response vehicles.
//
// # Why a queueing model
//
// Put each vehicle at its base and send every call to the nearest one,
// and the response time to a place is the travel time from the nearest
// base, as long as that vehicle is free. It is not always: while it is
// away the next call from its area goes to a neighbour, from further off,
// who in turn leaves its own area to the next. With a handful of vehicles
// across a county this interaction decides both the response times and
// who does the work. The hypercube model (Larson 1974) captures it
// exactly under Markovian assumptions, with no simulation noise, fast
// enough to compare many siting plans.
//
// # The model
//
// There are N distinguishable servers and J atoms, points of demand (a
// town, a grid cell). Atom j is an independent Poisson source of calls at
// rate λ_j. Each atom has a fixed preference list, a permutation of the
// servers, usually nearest first (PreferenceByTravel); a call goes to the
// first free server on its atom's list. Service times, from dispatch
// until the server is free again (travel, time on scene, return), are
// exponential with rate μ, the same for every server and every atom:
// Larson's assumption, and the one the approximation needs. The exact
// model also allows one rate μ_n per server (Model.ServiceRates), not one
// per atom. Servers are assumed to leave from home for every call, so a
// response travels the time Travel[n·J+j] of the server n that takes it.
//
// What happens to a call when every server is busy is the model's
// variant (Model.Queue):
//
//   - zero line capacity, a loss system: the call is lost to the model,
//     for example handed to a neighbouring force (mutual aid);
//   - infinite line capacity: the call waits in one first-come
//     first-served queue and goes to the next server to finish. With equal
//     service rates that is any busy server with equal probability; in
//     general server n with probability μ_n/Σμ.
//
// # The hypercube
//
// The state is the set of busy servers, a vertex of the N-dimensional unit
// cube: 2^N states. A call arriving in state s moves it to s+{n}, where n
// is the first free server on the call's atom's list, so the rate from s
// to s+{n} is the sum of λ_j over the atoms whose first free server in s
// is n; a completion moves s to s−{n} at rate μ_n. Transitions join
// neighbouring vertices only, one server at a time.
//
// Whatever the preferences, every call is dispatched while some server is
// free and every busy server finishes at rate μ, so the number of busy
// servers is the birth–death process of the M/M/N system: the total
// workload is a·(1−B(N, a)) for the loss system and a for the queue, with
// a = λ/μ the offered load in Erlangs, and the probability that all are
// busy is Erlang's B or C formula. The hypercube distributes those totals
// over the servers; the tests check it reproduces them.
//
// For the queue, states with every server busy and q calls waiting extend
// the full vertex F into a line. The queue rises at rate λ and falls at
// rate Σμ, and every excursion into it returns to F with no queue. Seen
// only on the hypercube, the process is therefore exactly the loss
// system's, except that it stays in F longer: π(F, q) = π(F)·r^q with r
// = λ/Σμ < 1, so the loss chain is solved and F's probability multiplied
// by 1/(1−r) before normalising. The mean wait follows from the mean
// queue length π(F, 0)·r/(1−r)² by Little's law.
//
// # Exact solution
//
// Exact solves the 2^N balance equations πG = 0, Σπ = 1 by successive
// over-relaxation, in increasing order of the states' binary numbers so
// that the arrivals into a state use values updated in the same sweep.
// The first eight sweeps are plain Gauss–Seidel; their rate of
// convergence sets the relaxation factor by Young's formula. After each
// sweep an aggregation step rescales the states of each level (each
// number of busy servers) to the probabilities of the birth–death chain
// the levels form, one step of iterative aggregation–disaggregation
// (Takahashi 1975; Stewart 1994); with equal service rates those are the
// exact Erlang probabilities, so the sweeps need only settle the
// distribution within each level. The iteration stops when the relative
// residual ‖πG‖₁/Σπ(s)q(s) is at most ExactTolerance (1e-12), where q(s)
// is the rate out of s. The set-up costs O(2^N·J), each sweep O(2^N·N);
// for 15 servers, about 50 sweeps and 0.1 s. MaxExactServers (15) keeps
// memory to a few megabytes; each further server doubles time and
// memory.
//
// # Larson's approximation
//
// Approx solves N equations instead of 2^N (Larson 1975; Larson and
// Odoni 1981, §5.5). Its premise is that servers are busy nearly
// independently, with a correction for their dependence: the probability
// that servers m1…mk are busy and server m(k+1) is free is taken to be
//
//	Q(N, ρ, k) · ρ_m1 ··· ρ_mk · (1 − ρ_m(k+1)),
//
// where ρ is the mean workload per server and the factor Q(N, ρ, k) makes
// the product exact in the M/M/N system whose calls go to a free server
// chosen at random:
//
//	Q(N, ρ, k) = Σ_{i=k}^{N−1} P_i · C(N−k−1, i−k) / C(N, i) / (ρ^k·(1−ρ)),
//
// with P_i the M/M/N probability of i busy servers (Larson and Odoni,
// eq. 5.48; for the loss system the M/M/N/N probabilities and ρ = a·(1−B)/N,
// their problem 5.10). The rate at which server n is assigned calls,
// μ·ρ_n, is then the sum over atoms of λ_j times the probability that n
// is the first free server on j's list, plus, with a queue, an equal share
// λ·P_Q/N of the queued calls:
//
//	ρ_n = (1 − ρ_n) · V_n(ρ) + D,  V_n = Σ_j (λ_j/μ) · Q(N, ρ, k_jn − 1) · Π_{i<k_jn} ρ_{m_ji},
//
// where k_jn is n's place on atom j's list. Approx iterates ρ_n ←
// (V_n + D)/(1 + V_n) for all n at once, rescales the workloads so that
// they add up to the exact M/M/N total, and stops when no workload moves
// by more than ApproxTolerance (1e-10); a step that fails to shrink the
// change is halved. Dispatch fractions come from the same product form,
// normalised per atom. Each iteration costs O(N·J), usually less: the
// products are dropped once they underflow. Q(N, ρ, k) reaches e^N at
// light loads, so beyond about 700 servers the sums are taken in
// logarithms.
//
// Larson reported errors of 1–2% against the exact model. On the tests'
// random county-like models (3 to 10 servers spread over the area, loads
// 0.1 to 0.8 per server) the relative workload error averaged 0.6%, and
// at most 1.8% averaged over one model's servers; the worst single server
// was 4.8% out (0.016 in absolute terms), a lightly loaded one, and the
// worst dispatch fraction 3.5 percentage points. With servers dropped at
// random the mean error was 1.25% and the worst absolute 0.035, but two
// servers side by side leave one doing mostly backup work, whose tiny
// workload the approximation can miss by tens of percent. Workload and
// the load implied by a server's share of calls agree only approximately
// (to a few hundredths) in Approx's results; in Exact's they agree.
//
// # What the model leaves out
//
// One server per call; no priorities; lost calls never return; rates
// constant in time; service times that do not depend on the travel; and
// free servers always at home. The discrete-event simulator (package
// sim) has none of these limits; the hypercube is the quick, noise-free
// model to compare plans with, and a check on the simulator.
//
// # References
//
//   - R. C. Larson, "A hypercube queuing model for facility location and
//     redistricting in urban emergency services", Computers & Operations
//     Research 1(1):67–95, 1974.
//   - R. C. Larson, "Approximating the performance of urban emergency
//     service systems", Operations Research 23(5):845–868, 1975.
//   - R. C. Larson and A. R. Odoni, "Urban Operations Research",
//     Prentice-Hall, 1981, chapter 5: §5.4 the model, §5.5 the
//     approximation and its three-server example, problems 5.9–5.11 (the
//     correction factor, the loss system, dispatch fractions). Online at
//     http://web.mit.edu/urban_or_book/www/book/.
//   - Y. Takahashi, "A lumping method for numerical calculations of
//     stationary distributions of Markov chains", Research Report B-18,
//     Tokyo Institute of Technology, 1975.
//   - W. J. Stewart, "Introduction to the Numerical Solution of Markov
//     Chains", Princeton University Press, 1994: iterative methods
//     (Gauss–Seidel, SOR) and aggregation–disaggregation.
//   - D. M. Young, "Iterative Solution of Large Linear Systems", Academic
//     Press, 1971: the optimal relaxation factor.
//   - J. P. Jarvis, "Approximating the equilibrium behavior of
//     multi-server loss systems", Management Science 31(2):235–239, 1985,
//     extends the approximation to service rates that differ by server and
//     atom (not implemented here).
package hypercube
