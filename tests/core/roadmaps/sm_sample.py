"""A small PSPLIB single-mode file written for the tests: 4 real jobs between a dummy source (job 1) and
sink (job 6), two renewable resources of capacity 4 and 3 (the format names four columns R 1..R 4 only
when there are four resources).

Jobs 2 and 3 both need 3 of R1 (capacity 4), so they cannot overlap, nor can jobs 4 and 5 on R2. The
critical path is 6; the optimum is 7: job 3 (periods 0-1), job 2 (2-4) beside job 5 (2-5), then job 4
(6). Starting job 2 first gives 9."""

SMALL_SM = """************************************************************************
file with basedata            : small.bas
initial value random generator: 1
************************************************************************
projects                      :  1
jobs (incl. supersource/sink ):  6
horizon                       :  20
RESOURCES
  - renewable                 :  2   R
  - nonrenewable              :  0   N
  - doubly constrained        :  0   D
************************************************************************
PROJECT INFORMATION:
pronr.  #jobs rel.date duedate tardcost  MPM-Time
    1      4      0       9        0        9
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           5
   4        1          1           6
   5        1          1           6
   6        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1  R 2
------------------------------------------------------------------------
  1      1     0       0    0
  2      1     3       3    1
  3      1     2       3    0
  4      1     1       1    3
  5      1     4       0    2
  6      1     0       0    0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1  R 2
    4    3
************************************************************************
"""

SMALL_OPTIMUM = 7
# the line of job 3 in PRECEDENCE RELATIONS (1-based), for the error tests
JOB3_PRECEDENCE_LINE = SMALL_SM.splitlines().index("   3        1          1           5") + 1
