"""Net liquidity on the real snapshot: holiday Wednesdays in the H.4.1 week."""



def test_a_holiday_wednesday_carries_the_previous_days_on_rrp(real_panel):
    """Juneteenth 2024 was a Wednesday without an ON RRP operation: the H.4.1 week nets out the
    Tuesday's take-up (~$400bn), not zero."""
    from signals.net_liquidity import weekly_net_liquidity_usd_bn

    weekly = weekly_net_liquidity_usd_bn(real_panel)
    moves = weekly.loc["2024-06-05":"2024-07-03"].diff().abs()
    assert moves.max() < 200
