"""What is known about who takes which waste before any documented exchange is counted.

Three pieces of public knowledge, none of them taken from the exchanges the receiver ranking is
evaluated on:

* **The List of Waste's chapters by source industry** (Commission Decision 2000/532/EC): chapters 01 to
  12 and 17 to 19 are named after the industry a waste comes from ("wastes from the iron and steel
  industry", "wastes from pulp, paper and cardboard production"). :data:`SOURCE_INDUSTRIES` writes each
  such chapter and sub-chapter as the NACE Rev. 2 codes of that industry; a query that names no
  provider industry gets the one its waste code implies. Chapters 13 to 16 and 20 are organised by
  material or by collection, not by source, and are left out.
* **The NACE Rev. 2 hierarchy** (Regulation (EC) No 1893/2006): class (4 digits) -> group (3) ->
  division (2) -> section (a letter, :func:`nace_section`).
* **The receiving industries that documented exchanges name for each waste family**
  (:data:`RECEIVERS_BY_WASTE_FAMILY`): a hand-written table, from general knowledge of the public
  industrial-symbiosis literature and of the EU documents on by-products and end-of-waste: Chertow,
  "Industrial symbiosis: literature and taxonomy", Annu. Rev. Energy Environ. 25 (2000); Jacobsen,
  "Industrial symbiosis in Kalundborg, Denmark", J. Ind. Ecol. 10 (2006); Laybourn and Lombardi, "Industrial
  symbiosis in European policy" (the UK NISP cases), J. Ind. Ecol. 16 (2012); the JRC reference document on
  best available techniques for cement, lime and magnesium oxide (2013: the wastes kilns take as raw
  material or fuel); the JRC end-of-waste studies (iron, steel and aluminium scrap, copper, glass cullet,
  paper, compost and digestate). It was written from what those documents say in general, not checked
  line by line against them, and written before any figure of a model using it was computed (the
  shared MAESTRI file's list of receiving industries had been seen; see decision 0005).

The table is keyed by the longest EWC prefix that names a family (an entry, a sub-chapter or a
chapter) and lists NACE classes; it is a prior, weighed against what the documented exchanges say
(helix.core.symbiosis.receiver_counts), never a rule.
"""

from __future__ import annotations

# NACE Rev. 2 sections by division (first two digits): (first division, last division, section).
_SECTIONS = (
    (1, 3, "A"),
    (5, 9, "B"),
    (10, 33, "C"),
    (35, 35, "D"),
    (36, 39, "E"),
    (41, 43, "F"),
    (45, 47, "G"),
    (49, 53, "H"),
    (55, 56, "I"),
    (58, 63, "J"),
    (64, 66, "K"),
    (68, 68, "L"),
    (69, 75, "M"),
    (77, 82, "N"),
    (84, 84, "O"),
    (85, 85, "P"),
    (86, 88, "Q"),
    (90, 93, "R"),
    (94, 96, "S"),
    (97, 98, "T"),
    (99, 99, "U"),
)


def nace_section(code: str) -> str:
    """The NACE section letter of a code of any level ("2410" -> "C"); "" if the division is unknown."""
    digits = code[:2]
    if len(digits) < 2 or not digits.isdigit():
        return ""
    division = int(digits)
    return next((s for first, last, s in _SECTIONS if first <= division <= last), "")


# List of Waste chapter or sub-chapter -> NACE codes (any level) of the industry its title names.
SOURCE_INDUSTRIES: dict[str, tuple[str, ...]] = {
    "01": ("05", "07", "08"),  # exploration, mining, quarrying, treatment of minerals
    "0103": ("07",),  # metalliferous minerals
    "0104": ("08",),  # non-metalliferous minerals
    "0105": ("06", "09"),  # drilling muds
    "02": ("01", "10", "11"),  # agriculture, food preparation and processing
    "0201": ("01", "02", "03"),  # agriculture, horticulture, aquaculture, forestry, hunting, fishing
    "0202": ("101", "102"),  # meat, fish and other foods of animal origin
    "0203": ("103", "104", "106", "108", "12"),  # fruit, vegetables, cereals, oils, cocoa, coffee, tobacco
    "0204": ("1081",),  # sugar
    "0205": ("105",),  # dairy products
    "0206": ("107",),  # baking and confectionery
    "0207": ("11",),  # alcoholic and non-alcoholic beverages
    "03": ("16", "17", "31"),  # wood processing, panels and furniture, pulp, paper and cardboard
    "0301": ("16", "31"),
    "0302": ("161",),  # wood preservation
    "0303": ("17",),  # pulp, paper and cardboard
    "04": ("13", "15"),  # leather, fur and textiles
    "0401": ("151",),
    "0402": ("13",),
    "05": ("19", "06"),  # petroleum refining, natural gas purification, pyrolysis of coal
    "0506": ("191",),  # pyrolytic treatment of coal
    "0507": ("062", "352"),  # natural gas purification and transportation
    "06": ("201",),  # inorganic chemical processes
    "07": ("20", "21", "22"),  # organic chemical processes
    "0701": ("2014",),
    "0702": ("2016", "2017", "22"),  # plastics, synthetic rubber, man-made fibres
    "0703": ("2012",),  # organic dyes and pigments
    "0704": ("202",),  # organic plant protection products
    "0705": ("21",),  # pharmaceuticals
    "0706": ("204",),  # fats, grease, soaps, detergents, disinfectants, cosmetics
    "0707": ("2059",),  # fine chemicals
    "08": ("203", "2052", "18"),  # coatings, adhesives, sealants, printing inks
    "09": ("2059", "742"),  # photographic industry
    "10": ("24", "23", "35"),  # thermal processes
    "1001": ("351",),  # power stations and other combustion plants
    "1002": ("241",),  # iron and steel
    "1003": ("2442",),  # aluminium thermal metallurgy
    "1004": ("2443",),  # lead
    "1005": ("2443",),  # zinc
    "1006": ("2444",),  # copper
    "1007": ("2441",),  # silver, gold and platinum
    "1008": ("2445",),  # other non-ferrous metals
    "1009": ("2451", "2452"),  # casting of ferrous pieces
    "1010": ("2453", "2454"),  # casting of non-ferrous pieces
    "1011": ("231",),  # glass and glass products
    "1012": ("233", "234"),  # ceramic goods, bricks, tiles and construction products
    "1013": ("235", "236"),  # cement, lime and plaster and articles made from them
    "1014": ("9603",),  # crematoria
    "11": ("2561", "244"),  # chemical surface treatment of metals, non-ferrous hydrometallurgy
    "12": ("25", "28", "222"),  # shaping and surface treatment of metals and plastics
    "17": ("41", "42", "43"),  # construction and demolition
    "18": ("86", "75"),  # human or animal health care
    "19": ("38", "37", "36"),  # waste management, off-site waste water treatment, water preparation
    "1908": ("37",),  # waste water treatment plants
    "1909": ("36",),  # preparation of water for human consumption or industrial use
}


def source_industries(ewc_code: str) -> tuple[str, ...]:
    """The NACE codes of the industry an EWC code's sub-chapter or chapter names; () for chapters
    organised by material (13 to 16, 20)."""
    return SOURCE_INDUSTRIES.get(ewc_code[:4]) or SOURCE_INDUSTRIES.get(ewc_code[:2]) or ()


# NACE Rev. 2 class names for the classes the table below names.
RECEIVER_NAMES: dict[str, str] = {
    "0111": "Growing of cereals (except rice), leguminous crops and oil seeds",
    "0113": "Growing of vegetables and melons, roots and tubers",
    "0130": "Plant propagation",
    "0150": "Mixed farming",
    "1041": "Manufacture of oils and fats",
    "1051": "Operation of dairies and cheese making",
    "1091": "Manufacture of prepared feeds for farm animals",
    "1092": "Manufacture of prepared pet foods",
    "1101": "Distilling, rectifying and blending of spirits",
    "1621": "Manufacture of veneer sheets and wood-based panels",
    "1629": "Manufacture of other products of wood; articles of cork, straw and plaiting materials",
    "1711": "Manufacture of pulp",
    "1712": "Manufacture of paper and paperboard",
    "1920": "Manufacture of refined petroleum products",
    "2011": "Manufacture of industrial gases",
    "2013": "Manufacture of other inorganic basic chemicals",
    "2014": "Manufacture of other organic basic chemicals",
    "2015": "Manufacture of fertilisers and nitrogen compounds",
    "2016": "Manufacture of plastics in primary forms",
    "2030": "Manufacture of paints, varnishes and similar coatings, printing ink and mastics",
    "2059": "Manufacture of other chemical products n.e.c.",
    "2219": "Manufacture of other rubber products",
    "2221": "Manufacture of plastic plates, sheets, tubes and profiles",
    "2222": "Manufacture of plastic packing goods",
    "2229": "Manufacture of other plastic products",
    "2311": "Manufacture of flat glass",
    "2313": "Manufacture of hollow glass",
    "2314": "Manufacture of glass fibres",
    "2320": "Manufacture of refractory products",
    "2332": "Manufacture of bricks, tiles and construction products, in baked clay",
    "2351": "Manufacture of cement",
    "2361": "Manufacture of concrete products for construction purposes",
    "2362": "Manufacture of plaster products for construction purposes",
    "2399": "Manufacture of other non-metallic mineral products n.e.c.",
    "2410": "Manufacture of basic iron and steel and of ferro-alloys",
    "2441": "Precious metals production",
    "2442": "Aluminium production",
    "2443": "Lead, zinc and tin production",
    "2444": "Copper production",
    "2445": "Other non-ferrous metal production",
    "2720": "Manufacture of batteries and accumulators",
    "3511": "Production of electricity",
    "3521": "Manufacture of gas",
    "3530": "Steam and air conditioning supply",
    "3821": "Treatment and disposal of non-hazardous waste",
    "3822": "Treatment and disposal of hazardous waste",
    "3832": "Recovery of sorted materials",
    "4211": "Construction of roads and motorways",
    "8130": "Landscape service activities",
}

# EWC prefix (entry, sub-chapter or chapter) -> the NACE classes that commonly take that family.
RECEIVERS_BY_WASTE_FAMILY: dict[str, tuple[str, ...]] = {
    # 01 mining and quarrying: overburden, sand, clay, stone dust
    "01": ("2351", "2361", "2332", "4211"),
    # 02 agriculture and food: feed, biogas, compost, farms
    "0201": ("3521", "0150", "0111", "3511", "3821"),  # manure, straw, plant tissue
    "0202": ("1091", "1092", "1041", "3521", "2015"),  # animal tissue, fish, blood
    "0203": ("1091", "3521", "0150", "2014", "3821"),  # fruit, vegetable, cereal, oil residues
    "0204": ("0111", "1091", "1101", "2014"),  # sugar: beet soil, pulp, molasses, carbonation lime
    "0205": ("1091", "0150", "3521", "1051"),  # dairy: whey, sludge
    "0206": ("1091", "3521", "0150"),  # baking and confectionery
    "0207": ("1091", "0150", "3521", "1101"),  # beverages: spent grains, yeast, pomace
    # 03 wood, pulp and paper
    "0301": ("1621", "3511", "3530", "1629", "1711"),  # bark, sawdust, shavings, offcuts
    "0303": ("2351", "2332", "3511", "0111", "1712"),  # sludges, rejects, dregs, lime mud
    # 04 leather and textiles
    "0401": ("2015", "2059", "3521"),
    "0402": ("3511", "2229", "1712"),
    # 05 petroleum refining, gas purification
    "05": ("3511", "2013", "2015", "2351", "2011"),  # fuel gas, sulphur, oily sludge, catalysts
    # 06 inorganic chemistry: acids, bases, salts, gypsum, sulphur compounds
    "06": ("2013", "2015", "2351", "2362"),
    "0609": ("2362", "2351", "2015"),  # phosphogypsum, calcium-based reaction wastes
    # 07 organic chemistry: solvents, still bottoms, off-spec batches
    "07": ("2014", "2351", "3511", "2016", "2059"),
    # 08 paints, inks, adhesives
    "08": ("2030", "2351", "3822"),
    # 10 thermal processes
    "1001": ("2351", "2361", "2362", "4211", "2332"),  # fly ash, bottom ash, FGD gypsum
    "1002": ("2351", "4211", "2361", "2410", "2443", "2399"),  # slags, mill scale, dusts
    "1003": ("2442", "2351", "2013"),  # aluminium salt slag, dross, spent pot lining
    "1004": ("2443", "2351", "4211"),
    "1005": ("2443", "2351", "4211"),
    "1006": ("2444", "2351", "4211"),
    "1008": ("2445", "2351", "4211"),
    "1009": ("2351", "2361", "4211", "2332"),  # foundry sand, casting cores
    "1010": ("2351", "2361", "4211", "2332"),
    "1011": ("2313", "2311", "2314", "2399"),  # glass waste, cullet
    "1012": ("2332", "2351", "4211"),  # ceramics, bricks
    "1013": ("2351", "2361", "0111", "2015"),  # kiln dust, off-spec lime and cement
    # 11, 12 metal treatment and shaping
    "11": ("2013", "2443", "2410", "2015"),  # pickling acids, zinc ash, sludges
    "12": ("2410", "2442", "2444", "2445", "2229"),  # filings, turnings, plastic shavings
    # 13, 14 oils and solvents
    "13": ("1920", "3511", "2351"),
    "14": ("2014", "2351", "2059"),
    # 15 packaging
    "150101": ("1712", "1711"),  # paper and cardboard
    "150102": ("2222", "2221", "2229", "2016"),  # plastics
    "150103": ("1621", "3511", "1629"),  # wood
    "150104": ("2410", "2442"),  # metal
    "150107": ("2313", "2311", "2314"),  # glass
    "15": ("3832", "3511", "2351"),  # mixed packaging, absorbents
    # 16 not otherwise specified
    "160103": ("2351", "2219", "4211"),  # end-of-life tyres
    "1601": ("3832", "2410", "2442"),  # end-of-life vehicles
    "1602": ("3832", "2444", "2441"),  # electrical and electronic equipment
    "1606": ("2720", "2443"),  # batteries
    "1608": ("2013", "2445", "2441"),  # spent catalysts
    "1611": ("2320", "2351"),  # refractory linings
    "16": ("2351", "3511", "2013"),
    # 17 construction and demolition
    "1701": ("4211", "2361", "2351"),  # concrete, bricks, tiles
    "1702": ("1621", "3511", "2313", "2229"),  # wood, glass, plastic
    "1703": ("4211", "2399"),  # bituminous mixtures
    "1704": ("2410", "2442", "2444"),  # metals
    "1705": ("4211", "2351"),  # soil and stones
    "1708": ("2362", "2351"),  # gypsum
    "17": ("4211", "2361", "2351"),
    # 18 health care
    "18": ("3822", "3511"),
    # 19 waste management, waste water and water treatment
    "1901": ("4211", "2351", "2361"),  # incineration bottom and fly ash
    "1905": ("0111", "0113", "8130", "0130"),  # compost
    "1906": ("0111", "0150", "8130"),  # digestate
    "1908": ("0111", "2351", "3511", "3521", "3821"),  # sewage sludge, grease
    "1909": ("2332", "2351", "0111"),  # water-treatment sludges
    "191210": ("2351", "3511"),  # refuse-derived fuel
    "1912": ("2351", "3511", "2410", "1712", "2222"),  # sorted fractions
    "19": ("2351", "3511", "3821"),
    # 20 municipal waste
    "200101": ("1712", "1711"),
    "200102": ("2313", "2311"),
    "200108": ("3521", "3821", "1091"),  # kitchen and canteen waste
    "200125": ("2059", "2014", "3511"),  # edible oil and fat: biodiesel
    "200138": ("1621", "3511"),
    "200139": ("2222", "2229", "2016"),
    "200140": ("2410", "2442"),
    "2002": ("3821", "3521", "3511", "8130"),  # garden and park waste
    "20": ("3511", "3821", "2351", "3832"),
}


def family_receivers(ewc_code: str) -> tuple[str, ...]:
    """The receiving industries :data:`RECEIVERS_BY_WASTE_FAMILY` lists for the longest prefix of
    ``ewc_code`` it knows; () if none."""
    for length in (6, 4, 2):
        found = RECEIVERS_BY_WASTE_FAMILY.get(ewc_code[:length])
        if found:
            return found
    return ()
