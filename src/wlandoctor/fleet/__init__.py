"""Work split by station, the same way on one machine (``--jobs N``) and on a Dask cluster
(``--engine dask``): segments.py plans what each reader reads, tasks.py holds the steps, local.py and
worker.py run them in processes of this machine, run.py drives either engine."""
