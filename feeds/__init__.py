"""feeds — data in, point in time.

Everything downstream sees a value only from the first trading session at which it was public.
Sources (snapshot directory, cache, online) hand over raw stamped observations; the series catalog
says what each stamp means and when it was released; `release.known_at_close` turns a stamped series
into "value known at each session's close"; `panel.PointInTimePanel` is the one object signals read.
`instruments` turns each sleeve into a price path (tickers and documented synthetics), and
`quality` checks every ticker and series once as it is loaded.
"""
