"""The opinion-group pipeline, as pure functions over arrays (no database): the vote matrix
(:mod:`.matrix`), the groups (:mod:`.clustering`: PCA and k-means, as Pol.is does), what each
group thinks (:mod:`.statements`: representative, consensus, divisive) and the order in which
statements are offered (:mod:`.ordering`)."""
