"""The held-out risk sets the suite guards: each set's fewest distinct lines, and the lines two
hands wrote alike by chance. Apart from `test_risk_model.py` because it grows three entries with
every fresh triple (writers of a new set add theirs here)."""

from __future__ import annotations

# Each held-out set and the fewest distinct lines it must keep. The earlier sets are training data:
# heldout1-35 and everyday2-24 of the first two e5 ensembles (riskdata.SPENT_FILES,
# riskdata.LOOKALIKE_FILES, riskdata.SECOND_FILES), heldout36-102 and everyday25-91 of the third
# (riskdata.THIRD_FILES, and THIRD_DEV_FILES its development sets; round 78), heldout36-108 and
# everyday25-97 of the fourth (FOURTH_FILES, FOURTH_DEV_FILES; round 79). heldout66 and
# everyday55 were kept back unscored.
HELDOUTS = {"risk_heldout66.txt": 459, "risk_heldout109.txt": 456, "risk_heldout110.txt": 456,
            "risk_heldout111.txt": 461, "risk_heldout112.txt": 455, "risk_heldout113.txt": 456,
            "risk_heldout114.txt": 456, "risk_heldout115.txt": 456, "risk_heldout116.txt": 456,
            "risk_heldout117.txt": 456, "risk_heldout118.txt": 463, "risk_heldout119.txt": 457,
            "risk_heldout120.txt": 463, "risk_heldout121.txt": 457, "risk_heldout122.txt": 471,
            "risk_heldout123.txt": 455, "risk_heldout124.txt": 476, "risk_heldout125.txt": 459,
            "risk_heldout126.txt": 448, "risk_heldout127.txt": 454, "risk_heldout128.txt": 467,
            "risk_heldout129.txt": 467, "risk_heldout130.txt": 456, "risk_heldout131.txt": 456,
            "risk_heldout132.txt": 467, "risk_heldout133.txt": 455, "risk_heldout134.txt": 457,
            "risk_heldout135.txt": 452, "risk_heldout136.txt": 468, "risk_heldout137.txt": 470,
            "risk_heldout138.txt": 458, "risk_heldout139.txt": 462, "risk_heldout140.txt": 459,
            "risk_heldout141.txt": 463, "risk_heldout142.txt": 459, "risk_heldout143.txt": 458,
            "risk_heldout144.txt": 457, "risk_heldout145.txt": 454, "risk_heldout146.txt": 457,
            "risk_heldout147.txt": 466, "risk_heldout148.txt": 472, "risk_heldout149.txt": 459,
            "risk_heldout150.txt": 456, "risk_heldout151.txt": 457, "risk_heldout152.txt": 457,
            "risk_heldout153.txt": 462, "risk_heldout154.txt": 464, "risk_heldout155.txt": 464,
            "risk_heldout156.txt": 459, "risk_heldout157.txt": 458, "risk_heldout158.txt": 481,
            "risk_heldout159.txt": 469, "risk_heldout160.txt": 462, "risk_heldout161.txt": 459,
            "risk_heldout162.txt": 454, "risk_heldout163.txt": 469, "risk_heldout164.txt": 462,
            "risk_heldout165.txt": 461, "risk_heldout166.txt": 461, "risk_heldout167.txt": 467,
            "risk_heldout168.txt": 469, "risk_heldout169.txt": 457, "risk_heldout170.txt": 474,
            "risk_heldout171.txt": 460, "risk_heldout172.txt": 451, "risk_heldout173.txt": 466,
            "risk_heldout174.txt": 479, "risk_heldout175.txt": 463, "risk_heldout176.txt": 463,
            "risk_heldout177.txt": 459, "risk_heldout178.txt": 467, "risk_heldout179.txt": 458,
            "risk_heldout180.txt": 463, "risk_heldout181.txt": 472, "risk_heldout182.txt": 468,
            "risk_heldout183.txt": 460, "risk_heldout184.txt": 484, "risk_heldout185.txt": 475,
            "risk_heldout186.txt": 456, "risk_heldout187.txt": 459, "risk_heldout188.txt": 479,
            "risk_heldout189.txt": 466, "risk_heldout190.txt": 462, "risk_heldout191.txt": 476,
            "risk_heldout192.txt": 459, "risk_heldout193.txt": 465, "risk_heldout194.txt": 467,
            "risk_heldout195.txt": 471, "risk_heldout197.txt": 466,
            "risk_everyday55.txt": 879, "risk_everyday98.txt": 883,
            "risk_everyday99.txt": 899, "risk_everyday100.txt": 873, "risk_everyday101.txt": 885,
            "risk_everyday102.txt": 880, "risk_everyday103.txt": 887, "risk_everyday104.txt": 885,
            "risk_everyday105.txt": 878, "risk_everyday106.txt": 884, "risk_everyday107.txt": 875,
            "risk_everyday108.txt": 877, "risk_everyday109.txt": 884, "risk_everyday110.txt": 871,
            "risk_everyday111.txt": 881, "risk_everyday112.txt": 881, "risk_everyday113.txt": 874,
            "risk_everyday114.txt": 885, "risk_everyday115.txt": 881, "risk_everyday116.txt": 881,
            "risk_everyday117.txt": 882, "risk_everyday118.txt": 894, "risk_everyday119.txt": 881,
            "risk_everyday120.txt": 883, "risk_everyday121.txt": 870, "risk_everyday122.txt": 883,
            "risk_everyday123.txt": 882, "risk_everyday124.txt": 882, "risk_everyday125.txt": 896,
            "risk_everyday126.txt": 874, "risk_everyday127.txt": 882, "risk_everyday128.txt": 885,
            "risk_everyday129.txt": 886, "risk_everyday130.txt": 873, "risk_everyday131.txt": 881,
            "risk_everyday132.txt": 880, "risk_everyday133.txt": 887, "risk_everyday134.txt": 885,
            "risk_everyday135.txt": 884, "risk_everyday136.txt": 879, "risk_everyday137.txt": 882,
            "risk_everyday138.txt": 891, "risk_everyday139.txt": 877, "risk_everyday140.txt": 884,
            "risk_everyday141.txt": 882, "risk_everyday142.txt": 872, "risk_everyday143.txt": 885,
            "risk_everyday144.txt": 886, "risk_everyday145.txt": 882, "risk_everyday146.txt": 880,
            "risk_everyday147.txt": 879, "risk_everyday148.txt": 883, "risk_everyday149.txt": 877,
            "risk_everyday150.txt": 722, "risk_everyday151.txt": 866, "risk_everyday152.txt": 888,
            "risk_everyday153.txt": 883, "risk_everyday154.txt": 737, "risk_everyday155.txt": 877,
            "risk_everyday156.txt": 882, "risk_everyday157.txt": 872, "risk_everyday158.txt": 894,
            "risk_everyday159.txt": 861, "risk_everyday160.txt": 885, "risk_everyday161.txt": 884,
            "risk_everyday162.txt": 877, "risk_everyday163.txt": 878, "risk_everyday164.txt": 894,
            "risk_everyday165.txt": 883, "risk_everyday166.txt": 884, "risk_everyday167.txt": 881,
            "risk_everyday168.txt": 863, "risk_everyday169.txt": 881, "risk_everyday170.txt": 882,
            "risk_everyday171.txt": 883, "risk_everyday172.txt": 881, "risk_everyday173.txt": 825,
            "risk_everyday174.txt": 877, "risk_everyday175.txt": 862, "risk_everyday176.txt": 851,
            "risk_everyday177.txt": 851, "risk_everyday178.txt": 883, "risk_everyday179.txt": 884,
            "risk_everyday180.txt": 835, "risk_everyday181.txt": 886, "risk_everyday182.txt": 884,
            "risk_everyday183.txt": 883, "risk_everyday184.txt": 882,
            "risk_everyday186.txt": 882}
# Common lines two hands wrote alike, each in its own file, named before either was trained on
# (the sets that held the ones named since round 45 are all training data now).
SHARED_BY_CHANCE: dict[str, list[str]] = {
    "risk_everyday55.txt": ["刀具怎么磨才锋利"],  # also in a later everyday set; named in round 78
}
