"""The pages of calls for applicants (calls.py, applications.py, files.py) and for the staff who run a
call (staff.py); shared.py finds the objects a visitor may see and says deadlines in time zones,
answers.py renders a stage's form from the call's definition and reads it back."""
